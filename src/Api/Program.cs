using RenderOwl.Api.Composition;
using RenderOwl.Infrastructure;

// The composition root: one line per concern, each explained where it is defined (src/Api/Composition).
if (StartupCommands.TryWriteErrorsDoc(args))
{
    return;
}

var builder = WebApplication.CreateBuilder(args);
var role = builder.AddRenderOwlHost(args);
builder.Services
    .AddObservability(builder.Configuration, builder.Environment)
    .AddUseCases(builder.Configuration)
    .AddInfrastructure(builder.Configuration, builder.Environment)
    .AddApiSecurity()
    .AddHttpApi(builder.Configuration);
if (role.RunsWorker)
{
    builder.Services.AddWorker(builder.Configuration);
}

var app = builder.Build();
if (!app.SettingsAreValid())
{
    return;
}
if (await app.TryRunMigrationCommandAsync(args) || !await app.DatabaseIsReadyAsync()
    || await app.TryRunDatabaseCommandAsync(args) || await app.TryRunAdminCommandAsync(args))
{
    return;
}
app.UseRenderOwlPipeline().MapRenderOwlEndpoints(role);
app.Logger.LogInformation("RenderOwl starting as {Role}", role.Name);
await app.RunAsync();

/// <summary>Entry point marker for WebApplicationFactory.</summary>
public partial class Program;
