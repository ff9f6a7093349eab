using System.Diagnostics;
using System.Text;

namespace RenderOwl.Infrastructure.Media;

public sealed record ProcessResult(int ExitCode, string StandardOutput, string StandardError);

/// <summary>A tool could not be started (missing, not executable).</summary>
public sealed class ProcessStartException(string file, Exception? inner) : Exception($"{file} could not be started.", inner);

/// <summary>Runs a tool with an argument list (never a shell), a time limit, and a kill of the whole tree on cancel.</summary>
public static class ProcessRunner
{
    public static Task<ProcessResult> RunAsync(string file, IEnumerable<string> arguments, TimeSpan timeout, CancellationToken cancellationToken)
        => RunAsync(file, arguments, timeout, readOutput: null, stderrTail: 8192, cancellationToken);

    /// <summary>
    /// Runs <paramref name="file"/> and waits for it. Standard output goes to <paramref name="readOutput"/> as it
    /// comes (or is collected when null); of standard error the last <paramref name="stderrTail"/> characters are
    /// kept. Past <paramref name="timeout"/> the process tree is killed and <see cref="TimeoutException"/> thrown;
    /// on cancellation it is killed and the cancellation rethrown. A tool that cannot start throws
    /// <see cref="ProcessStartException"/>.
    /// </summary>
    public static async Task<ProcessResult> RunAsync(string file, IEnumerable<string> arguments, TimeSpan timeout,
        Func<StreamReader, Task>? readOutput, int stderrTail, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        Process? started;
        try
        {
            started = Process.Start(start);
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new ProcessStartException(file, ex);
        }
        using var process = started ?? throw new ProcessStartException(file, null);
        process.StandardInput.Close();
        var stdout = readOutput is null ? process.StandardOutput.ReadToEndAsync(CancellationToken.None) : ReadWith(readOutput, process.StandardOutput);
        var stderr = ReadTailAsync(process.StandardError, stderrTail);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            Kill(process);
            await process.WaitForExitAsync(CancellationToken.None);
            if (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            throw new TimeoutException($"{Path.GetFileName(file)} did not finish within {timeout.TotalSeconds:0} s") { Data = { ["stderr"] = await stderr } };
        }
        return new ProcessResult(process.ExitCode, await stdout, await stderr);
    }

    private static async Task<string> ReadWith(Func<StreamReader, Task> read, StreamReader output)
    {
        await read(output);
        return "";
    }

    public static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // already exited
        }
    }

    /// <summary>Keeps only the last <paramref name="limit"/> characters: enough to diagnose, bounded in memory.</summary>
    public static async Task<string> ReadTailAsync(StreamReader reader, int limit)
    {
        var tail = new StringBuilder();
        var buffer = new char[4096];
        int read;
        while ((read = await reader.ReadAsync(buffer, CancellationToken.None)) > 0)
        {
            tail.Append(buffer, 0, read);
            if (tail.Length > limit * 2)
            {
                tail.Remove(0, tail.Length - limit);
            }
        }
        return tail.Length > limit ? tail.ToString(tail.Length - limit, limit) : tail.ToString();
    }
}
