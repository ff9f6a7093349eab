using RenderOwl.Infrastructure.Observability;

namespace RenderOwl.Api.IntegrationTests;

/// <summary>The profiler's statement shapes: values folded, identifiers kept.</summary>
public sealed class SqlNormalizerTests
{
    [Theory]
    [InlineData("SELECT * FROM t WHERE id = 42", "SELECT * FROM t WHERE id = ?")]
    [InlineData("SELECT * FROM t WHERE name = 'O''Brien' AND x = -1.5e3", "SELECT * FROM t WHERE name = ? AND x = ?")]
    [InlineData("SELECT p.\"Name\" FROM projects.projects AS p WHERE p.id = @__id_0 LIMIT @__p_1", "SELECT p.\"Name\" FROM projects.projects AS p WHERE p.id = ? LIMIT ?")]
    [InlineData("UPDATE r SET progress = $3 WHERE id = $1", "UPDATE r SET progress = ? WHERE id = ?")]
    [InlineData("SELECT 1 FROM t1 WHERE status IN ('a', 'b', 'c')", "SELECT ? FROM t1 WHERE status IN (?)")]
    [InlineData("INSERT INTO t (a, b) VALUES (@p0, @p1), (@p2, @p3)", "INSERT INTO t (a, b) VALUES (?)")]
    [InlineData("-- tag: list\nSELECT   a\n\t FROM /* hint */ t", "SELECT a FROM t")]
    [InlineData("SELECT x::int, E'\\n', t2.c3 FROM t2", "SELECT x::int, ?, t2.c3 FROM t2")]
    public void Folds_values_and_keeps_identifiers(string sql, string expected) => Assert.Equal(expected, SqlNormalizer.Normalize(sql));

    [Fact]
    public void Two_statements_that_differ_only_by_values_are_one()
        => Assert.Equal(SqlNormalizer.Normalize("SELECT * FROM t WHERE a = 1 AND b = 'x'"), SqlNormalizer.Normalize("SELECT * FROM t WHERE a = 99 AND b = 'yz'"));
}
