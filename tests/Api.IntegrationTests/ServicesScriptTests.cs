using System.Diagnostics;
using Npgsql;
using RenderOwl.Api.IntegrationTests.Infrastructure;

namespace RenderOwl.Api.IntegrationTests;

/// <summary><c>make run</c> from any folder root can write to: scripts/services.sh in a clone inside a 0700 folder.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class ServicesScriptTests
{
    private static async Task<(int Code, string Out, string Err)> RunAsync(string script, string verb)
    {
        var start = new ProcessStartInfo("bash", [script, verb]) { RedirectStandardError = true, RedirectStandardOutput = true };
        start.Environment.Remove("RENDEROWL_DATA"); // the clone's own .data, as a newcomer's make run has it
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout, await stderr);
    }

    [Fact]
    public async Task Up_and_down_work_from_a_clone_in_a_folder_only_its_owner_may_enter()
    {
        var root = Directory.CreateTempSubdirectory("renderowl-private-").FullName;
        File.SetUnixFileMode(root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute); // 0700
        var scripts = Directory.CreateDirectory(Path.Combine(root, "clone", "scripts")).FullName;
        var script = Path.Combine(scripts, "services.sh");
        File.Copy(Path.Combine(TestServices.RepositoryRoot(), "scripts", "services.sh"), script);
        File.Copy(Path.Combine(TestServices.RepositoryRoot(), "scripts", "mailsink.py"), Path.Combine(scripts, "mailsink.py"));
        File.Copy(Path.Combine(TestServices.RepositoryRoot(), "scripts", "s3.sh"), Path.Combine(scripts, "s3.sh"));
        File.Copy(Path.Combine(TestServices.RepositoryRoot(), "scripts", "lib.sh"), Path.Combine(scripts, "lib.sh"));
        var data = Path.Combine(root, "clone", ".data");
        string? pgroot = null;
        try
        {
            var up = await RunAsync(script, "up");
            Assert.True(up.Code == 0, up.Err);
            pgroot = File.ReadAllText(Path.Combine(data, "pg-location")).Trim();
            if (Environment.UserName == "root")
            {
                Assert.StartsWith("/var/lib/renderowl/", pgroot, StringComparison.Ordinal); // postgres cannot enter the 0700 folder
                Assert.Contains(pgroot, up.Err, StringComparison.Ordinal);                    // and up says where the clusters are
            }
            var env = File.ReadAllLines(Path.Combine(data, "services.env")).Where(l => l.Contains('=', StringComparison.Ordinal) && !l.StartsWith('#'))
                .Select(l => l.Split('=', 2)).ToDictionary(p => p[0], p => p[1].Trim('"'));
            await using (var primary = new NpgsqlConnection(env["ConnectionStrings__Primary"]))
            {
                await primary.OpenAsync();
                Assert.Equal(1, await new NpgsqlCommand("SELECT 1", primary).ExecuteScalarAsync());
            }
            await using (var replica = new NpgsqlConnection(env["ConnectionStrings__Replica"]))
            {
                await replica.OpenAsync();
                Assert.Equal(true, await new NpgsqlCommand("SELECT pg_is_in_recovery()", replica).ExecuteScalarAsync());
            }
            var running = (await RunAsync(script, "status")).Out;
            Assert.Contains("primary  running", running, StringComparison.Ordinal);
            Assert.Contains("smtp     running", running, StringComparison.Ordinal);

            var down = await RunAsync(script, "down");
            Assert.True(down.Code == 0, down.Err);
            var status = (await RunAsync(script, "status")).Out;
            Assert.Contains("primary  stopped", status, StringComparison.Ordinal);
            Assert.Contains("replica  stopped", status, StringComparison.Ordinal);
            Assert.Contains("redis    stopped", status, StringComparison.Ordinal);
            Assert.Contains("smtp     stopped", status, StringComparison.Ordinal);
        }
        finally
        {
            await RunAsync(script, "down");
            if (pgroot is not null && pgroot.StartsWith("/var/lib/renderowl/", StringComparison.Ordinal))
            {
                Directory.Delete(Path.GetDirectoryName(pgroot)!, recursive: true);
            }
            Directory.Delete(root, recursive: true);
        }
    }
}
