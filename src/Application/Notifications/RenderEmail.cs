using System.Globalization;
using System.Net;
using System.Text.Json;

namespace RenderOwl.Application.Notifications;

/// <summary>The e-mail of a finished render: subject, text and HTML (status, project, duration, the output link or the error).</summary>
public sealed record RenderEmail(string MessageId, string Subject, string Text, string Html)
{
    /// <summary>The same render always gets the same Message-ID: a retried job is recognised (and receivers dedupe it too).</summary>
    public static string MessageIdOf(string renderId) => $"render-{renderId}@renderowl";

    public static RenderEmail Compose(string name, string? projectName, JsonElement render, string publicBaseUrl)
    {
        var id = render.GetProperty("id").GetString()!;
        var status = render.GetProperty("status").GetString()!;
        var project = projectName is null ? render.GetProperty("project_id").GetString()! : $"{projectName} ({render.GetProperty("project_id").GetString()})";
        var seconds = render.TryGetProperty("run_ms", out var run) && run.ValueKind == JsonValueKind.Number ? run.GetInt64() / 1000.0 : (double?)null;
        var duration = seconds is { } s ? s.ToString("0.0", CultureInfo.InvariantCulture) + " s" : "—";
        var link = $"{publicBaseUrl.TrimEnd('/')}/v1/renders/{id}/output";
        var outcome = status switch
        {
            "succeeded" => $"Download the output: {link}",
            "failed" => "Error: " + (render.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.Object ? $"{e.GetProperty("code").GetString()} — {e.GetProperty("message").GetString()}" : "unknown"),
            _ => "The render was canceled.",
        };
        var subject = $"Render {id} {status}";
        var text = $"Hello {name},\n\nrender {id} in project {project} {status}.\nRendering took {duration}.\n{outcome}\n\n— RenderOwl\n";
        var html = $"<p>Hello {WebUtility.HtmlEncode(name)},</p><p>render <code>{id}</code> in project <code>{WebUtility.HtmlEncode(project)}</code> <strong>{status}</strong>.<br>"
            + $"Rendering took {duration}.</p><p>{(status == "succeeded" ? $"<a href=\"{WebUtility.HtmlEncode(link)}\">Download the output</a>" : WebUtility.HtmlEncode(outcome))}</p><p>— RenderOwl</p>";
        return new RenderEmail(MessageIdOf(id), subject, text, html);
    }
}
