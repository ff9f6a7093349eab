using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using RenderOwl.Api.Composition;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Application.Common.Errors;
using RenderOwl.Application.Common.Json;
using RenderOwl.Domain.Common;

namespace RenderOwl.Api.Http;

/// <summary>Every error leaves as RFC 9457 problem details built here: typed exceptions, status codes and model-binding errors alike.</summary>
public static class Problems
{
    public static void Customize(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        var http = context.HttpContext;
        var status = problem.Status ?? http.Response.StatusCode;
        if (problem.Type is null || !problem.Type.StartsWith(ErrorCatalog.TypeBase, StringComparison.Ordinal))
        {
            var type = ErrorCatalog.ForStatus(status);
            problem.Type = ErrorCatalog.TypeUri(type);
            problem.Title = type.Title;
            problem.Detail ??= type.Description;
        }
        problem.Status = status;
        problem.Instance = http.Request.Path;
        problem.Extensions.Remove("traceId");
        problem.Extensions["trace_id"] = RequestContext.TraceId(http);
        ServerErrorLog.Record(http, problem, context.Exception);
    }

    public static ProblemDetails From(ErrorType type, string? detail) => new()
    {
        Type = ErrorCatalog.TypeUri(type),
        Title = type.Title,
        Status = type.Status,
        Detail = detail ?? type.Description,
    };

    public static ValueTask WriteAsync(HttpContext http, ErrorType type, string? detail, IReadOnlyList<FieldError>? errors = null)
    {
        http.Response.StatusCode = type.Status;
        var problem = From(type, detail);
        if (errors is not null)
        {
            problem.Extensions["errors"] = errors;
        }
        return WriteAsync(http, problem, null);
    }

    /// <summary>Writes a problem whatever the request accepts (<see cref="ProblemJsonWriter"/> takes what the default writer declines).</summary>
    public static ValueTask WriteAsync(HttpContext http, ProblemDetails problem, Exception? exception)
        => http.RequestServices.GetRequiredService<IProblemDetailsService>()
            .WriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = problem, Exception = exception });

    /// <summary>[ApiController]'s automatic 400: model-binding and JSON errors become validation-failed with JSON paths.</summary>
    public static IActionResult InvalidModelState(ActionContext context)
    {
        var errors = new List<FieldError>();
        foreach (var (key, entry) in context.ModelState)
        {
            foreach (var error in entry.Errors)
            {
                errors.Add(Classify(key, entry, error));
            }
        }
        var problem = From(ErrorCatalog.ValidationFailed, errors.Count == 1 ? errors[0].Message : $"{errors.Count} fields are invalid.");
        problem.Extensions["errors"] = errors;
        Customize(new ProblemDetailsContext { HttpContext = context.HttpContext, ProblemDetails = problem });
        return new ObjectResult(problem) { StatusCode = 400, ContentTypes = { "application/problem+json" } };
    }

    /// <summary>
    /// By what failed, never by message text: a reader error is malformed JSON, an id converter's is a bad id, any
    /// other conversion is a wrong type; a query or route value that did not convert was attempted; what is left
    /// is a missing body or field. (Too-deep JSON is refused earlier, by the text guard.)
    /// </summary>
    private static FieldError Classify(string key, ModelStateEntry entry, ModelError error)
    {
        var field = key.StartsWith("$.", StringComparison.Ordinal) ? key[2..] : key is "$" or "" ? "" : key;
        var label = field.Length == 0 ? "body" : field;
        return error.Exception switch
        {
            InvalidIdJsonException => new FieldError(label, "invalid_id", $"'{label}' is not a valid id."),
            JsonException { InnerException: JsonException } => new FieldError("body", "malformed_json", "The request body is not valid JSON."),
            JsonException => new FieldError(label, "invalid_type", $"'{label}' has the wrong type or format."),
            null when entry.AttemptedValue is not null => new FieldError(label, "invalid_type", $"'{label}' has the wrong type or format."),
            null => new FieldError(label, "required", field.Length == 0 ? "A JSON body is required." : $"'{label}' is required."),
            _ => new FieldError("body", "malformed_json", "The request body is not valid JSON."),
        };
    }
}

/// <summary>Maps exceptions to problems. Expected ones are logged at Information; only real faults at Error.</summary>
public sealed class ProblemExceptionHandler(IStorageFailures storage, ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is OperationCanceledException && http.RequestAborted.IsCancellationRequested)
        {
            http.Response.StatusCode = 499; // the client went away; nobody reads the answer
            return true;
        }
        var (type, detail, errors) = exception switch
        {
            ValidationFailedException v => (v.Type, v.Message, v.Errors),
            AppException app => (app.Type, app.Message, null),
            BadHttpRequestException bad => (ErrorCatalog.ForStatus(bad.StatusCode), null, null),
            DomainRuleException rule => (ErrorCatalog.Conflict, rule.Message, (IReadOnlyList<FieldError>?)null),
            ObjectTooLargeException big => (ErrorCatalog.PayloadTooLarge, big.Message, null),
            _ when storage.Classify(exception) is { } known => (known.Type, known.Detail, null),
            _ => (ErrorCatalog.InternalError, null, null),
        };
        if (type.Status >= 500)
        {
            logger.LogError(exception, "Unhandled exception on {Method} {Path}", http.Request.Method, http.Request.Path.Value);
        }
        else
        {
            logger.LogInformation("Request rejected with {ProblemType}: {Detail}", type.Slug, detail);
        }
        if (exception is RateLimitedException limited)
        {
            var seconds = Math.Max(1, (int)Math.Ceiling(limited.RetryAfter.TotalSeconds));
            http.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        if (type == ErrorCatalog.ServiceUnavailable)
        {
            http.Response.Headers.RetryAfter = "5";
        }
        http.Response.StatusCode = type.Status;
        var problem = Problems.From(type, detail);
        if (errors is not null)
        {
            problem.Extensions["errors"] = errors;
        }
        await Problems.WriteAsync(http, problem, exception);
        return true;
    }

}

public static class RequestContext
{
    public const string RequestIdHeader = "X-Request-Id";
    public const string TraceIdHeader = "X-Trace-Id";

    public static string TraceId(HttpContext http) => Activity.Current?.TraceId.ToHexString() ?? http.TraceIdentifier;

    /// <summary>
    /// A request id for a request that brought none: a UUIDv7 (48-bit Unix milliseconds, version and variant bits, 74
    /// random bits) in 32 lowercase hex digits, as <c>Guid.CreateVersion7().ToString("N")</c> writes it, but its random
    /// bits from <see cref="Random.Shared"/>: an id that names a request needs no secrecy, and the cryptographic source
    /// read /dev/urandom with a system call on every request (~2 % of a cached read's CPU, docs/benchmarks.md).
    /// </summary>
    public static string NewRequestId(DateTimeOffset now)
    {
        Span<byte> id = stackalloc byte[16];
        Random.Shared.NextBytes(id[6..]);
        var ms = now.ToUnixTimeMilliseconds();
        for (var i = 5; i >= 0; i--, ms >>= 8)
        {
            id[i] = (byte)ms;
        }
        id[6] = (byte)((id[6] & 0x0F) | 0x70);
        id[8] = (byte)((id[8] & 0x3F) | 0x80);
        return Convert.ToHexStringLower(id);
    }
}

/// <summary>
/// Problems are JSON for every client: the framework's writer declines when <c>Accept</c> names neither JSON
/// nor <c>*/*</c> (a browser's <c>text/html</c>), and status-code pages then fell back to plain text. This one
/// takes every context, so every 4xx and 5xx is <c>application/problem+json</c>.
/// </summary>
public sealed class ProblemJsonWriter : IProblemDetailsWriter
{
    public bool CanWrite(ProblemDetailsContext context) => true;

    public ValueTask WriteAsync(ProblemDetailsContext context)
    {
        Problems.Customize(context);
        var http = context.HttpContext;
        return new ValueTask(http.Response.WriteAsJsonAsync(context.ProblemDetails, ApiJson.Options, "application/problem+json", http.RequestAborted));
    }
}
