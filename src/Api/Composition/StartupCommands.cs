using Microsoft.Extensions.Options;
using RenderOwl.Application.Common.Errors;
using RenderOwl.Application.Identity.Accounts;
using RenderOwl.Infrastructure.Persistence;

namespace RenderOwl.Api.Composition;

/// <summary>What runs before serving: the migrations, and the one-shot commands of the same binary.</summary>
public static class StartupCommands
{
    /// <summary><c>errors-doc</c>: docs/errors.md from the error catalog, without starting anything.</summary>
    public static bool TryWriteErrorsDoc(string[] args)
    {
        if (args is not ["errors-doc", ..])
        {
            return false;
        }
        Console.Write(ErrorCatalog.ToMarkdown());
        return true;
    }

    /// <summary>
    /// Every validated setting (<c>AddValidatedOptions</c>) checked before anything runs: a bad one stops start-up
    /// with the option, the member and the rule it broke, and exit code 1 — never a half-started process.
    /// </summary>
    public static bool SettingsAreValid(this WebApplication app)
    {
        try
        {
            app.Services.GetRequiredService<IStartupValidator>().Validate();
            return true;
        }
        catch (OptionsValidationException ex)
        {
            return Refuse(app, ex.Failures);
        }
        catch (AggregateException ex) when (ex.InnerExceptions.All(e => e is OptionsValidationException))
        {
            return Refuse(app, ex.InnerExceptions.Cast<OptionsValidationException>().SelectMany(e => e.Failures));
        }
    }

    private static bool Refuse(WebApplication app, IEnumerable<string> failures)
    {
        var list = failures.ToList();
        app.Logger.LogCritical("RenderOwl cannot start: invalid setting(s): {Failures}", string.Join("; ", list));
        Console.Error.WriteLine("RenderOwl cannot start: invalid setting(s):\n  " + string.Join("\n  ", list));
        Environment.ExitCode = 1;
        return false;
    }

    public static async Task MigrateIfConfiguredAsync(this WebApplication app)
    {
        if (app.Configuration.GetValue("Database:MigrateOnStartup", true))
        {
            await using var scope = app.Services.CreateAsyncScope();
            await DatabaseMigrator.MigrateAsync(scope.ServiceProvider.GetRequiredService<AppDbContext>(), app.Logger);
        }
    }

    /// <summary><c>admin promote &lt;email&gt;</c>: make an account an admin, then exit. True when a command ran.</summary>
    public static async Task<bool> TryRunAdminCommandAsync(this WebApplication app, string[] args)
    {
        if (args is ["db", "cleanup", ..])
        {
            await using var cleanup = app.Services.CreateAsyncScope();
            var removed = await cleanup.ServiceProvider.GetRequiredService<Mediator.ISender>().Send(new Application.Operations.ApplyRetentionCommand());
            foreach (var (policy, rows) in removed)
            {
                Console.WriteLine($"{policy,-24} {rows,10:N0} row(s) removed");
            }
            var partitions = await cleanup.ServiceProvider.GetRequiredService<Mediator.ISender>().Send(new Application.Analytics.MaintainAnalyticsPartitionsCommand());
            Console.WriteLine($"{"analytics partitions",-24} created: {string.Join(", ", partitions.Created.DefaultIfEmpty("none"))}; dropped: {string.Join(", ", partitions.Dropped.DefaultIfEmpty("none"))}");
            return true;
        }
        if (args is not ["admin", "promote", var email, ..])
        {
            return false;
        }
        await using var scope = app.Services.CreateAsyncScope();
        try
        {
            var admin = await scope.ServiceProvider.GetRequiredService<Mediator.ISender>().Send(new PromoteToAdminCommand(email));
            Console.WriteLine($"{admin.Email} ({admin.Id}) is now an admin.");
        }
        catch (AppException ex)
        {
            await Console.Error.WriteLineAsync($"admin promote: {ex.Message}");
            Environment.ExitCode = 1;
        }
        return true;
    }
}
