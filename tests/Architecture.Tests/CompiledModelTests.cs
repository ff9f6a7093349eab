using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Npgsql;
using RenderOwl.Infrastructure.Persistence;

namespace RenderOwl.Architecture.Tests;

/// <summary>
/// The running service uses the model generated into Persistence/CompiledModel (start-up speed); the migrations
/// tools build it from the entity configurations. They must describe the same tables, or the service would read
/// and write columns the migrations never made. Regenerate with <c>make compiled-model</c>.
/// </summary>
public sealed class CompiledModelTests
{
    [Fact]
    public void The_compiled_model_matches_the_entity_configurations()
    {
        var built = new DbContextOptionsBuilder<AppDbContext>();
        NpgsqlSetup.Configure(built, "Host=127.0.0.1;Database=unused");
        using var dataSource = NpgsqlDataSource.Create("Host=127.0.0.1;Database=unused");
        var compiled = new DbContextOptionsBuilder<AppDbContext>();
        NpgsqlSetup.Configure(compiled, dataSource, compiledModel: true);
        using var fromConfigurations = new AppDbContext(built.Options);
        using var fromCompiled = new AppDbContext(compiled.Options);

        // The design-time model is built from the configurations whatever model the options name.
        var expected = Describe(fromConfigurations.GetService<Microsoft.EntityFrameworkCore.Metadata.IDesignTimeModel>().Model);
        var actual = Describe(fromCompiled.Model);

        Assert.True(expected.Count > 20, "the configurations' model has its tables");
        var missing = expected.Except(actual).ToList();
        var extra = actual.Except(expected).ToList();
        Assert.True(missing.Count == 0 && extra.Count == 0,
            "The compiled model is out of date — run `make compiled-model`.\nonly in the configurations:\n  "
            + string.Join("\n  ", missing) + "\nonly in the compiled model:\n  " + string.Join("\n  ", extra));
    }

    /// <summary>Every table, column (store type, nullability, converter), key, foreign key and index, one line each.</summary>
    private static HashSet<string> Describe(IModel model)
    {
        var lines = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entity in model.GetEntityTypes())
        {
            var table = $"{entity.GetSchema()}.{entity.GetTableName() ?? entity.GetViewName()}";
            lines.Add($"entity {entity.Name} -> {table}");
            var store = StoreObjectIdentifier.Create(entity, StoreObjectType.Table);
            foreach (var property in entity.GetProperties())
            {
                var column = store is { } s ? property.GetColumnName(s) : property.GetColumnName();
                lines.Add($"column {table}.{column}: {property.ClrType.Name} {property.GetRelationalTypeMapping().StoreType}"
                    + $" null={property.IsNullable} conv={property.GetTypeMapping().Converter?.GetType().Name} max={property.GetMaxLength()}"
                    + $" concurrency={property.IsConcurrencyToken} generated={property.ValueGenerated}");
            }
            foreach (var key in entity.GetKeys())
            {
                lines.Add($"key {table} ({string.Join(",", key.Properties.Select(p => p.Name))}) primary={key.IsPrimaryKey()}");
            }
            foreach (var fk in entity.GetForeignKeys())
            {
                lines.Add($"fk {table} ({string.Join(",", fk.Properties.Select(p => p.Name))}) -> {fk.PrincipalEntityType.Name} delete={fk.DeleteBehavior}");
            }
            foreach (var index in entity.GetIndexes())
            {
                lines.Add($"index {table} {index.GetDatabaseName()} ({string.Join(",", index.Properties.Select(p => p.Name))}) unique={index.IsUnique} filter={index.GetFilter()}");
            }
        }
        return lines;
    }
}
