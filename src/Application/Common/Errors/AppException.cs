namespace RenderOwl.Application.Common.Errors;

/// <summary>
/// An expected failure, mapped to an RFC 9457 problem by its <see cref="Type"/> and logged at Information.
/// Raised only through the typed exceptions below, each bound to one HTTP status: a handler says what went
/// wrong (not found, conflict, …) and the catalog entry says which problem type it is.
/// </summary>
public abstract class AppException : Exception
{
    protected AppException(ErrorType type, string detail, int status) : base(detail)
    {
        if (type.Status != status)
        {
            throw new ArgumentException($"Problem type '{type.Slug}' is a {type.Status}, not a {status}.", nameof(type));
        }
        Type = type;
    }

    public ErrorType Type { get; }
}

/// <summary>
/// A refusal whose changes must stand: the transaction commits, then the request is refused with
/// <see cref="Problem"/> (a reused refresh token ends its sessions and is still a 401). Only for transactional commands.
/// </summary>
public sealed class RefuseAfterCommitException(AppException problem) : Exception(problem.Message, problem)
{
    public AppException Problem { get; } = problem;
}

public sealed record FieldError(string Field, string Code, string Message);

/// <summary>400 validation-failed with one entry per field. Raised by the validation pipeline, not by handlers.</summary>
public sealed class ValidationFailedException(IReadOnlyList<FieldError> errors)
    : AppException(ErrorCatalog.ValidationFailed, errors.Count == 1 ? errors[0].Message : $"{errors.Count} fields are invalid.", 400)
{
    public IReadOnlyList<FieldError> Errors { get; } = errors;

    public static ValidationFailedException For(string field, string code, string message) => new([new FieldError(field, code, message)]);
}

/// <summary>A 400 of its own problem type (invalid cursor, URL not allowed, unsupported media, …).</summary>
public sealed class BadRequestException(ErrorType type, string detail) : AppException(type, detail, 400);

/// <summary>401: no, wrong or stale credentials.</summary>
public sealed class UnauthorizedException(ErrorType type, string detail) : AppException(type, detail, 401);

/// <summary>403: signed in, but not allowed (the dashboard for a non-admin).</summary>
public sealed class ForbiddenException(string detail) : AppException(ErrorCatalog.Forbidden, detail, 403);

public sealed class NotFoundException(string resource)
    : AppException(ErrorCatalog.NotFound, $"The {resource} does not exist.", 404);

/// <summary>409: the request does not fit the resource's current state.</summary>
public sealed class ConflictException(ErrorType type, string detail) : AppException(type, detail, 409);

public sealed class GoneException(ErrorType type, string detail) : AppException(type, detail, 410);

public sealed class PreconditionFailedException()
    : AppException(ErrorCatalog.PreconditionFailed, "The resource was modified since the ETag given in If-Match.", 412);

public sealed class PayloadTooLargeException(string detail) : AppException(ErrorCatalog.PayloadTooLarge, detail, 413);

public sealed class UnsupportedMediaTypeException(string detail) : AppException(ErrorCatalog.UnsupportedMediaType, detail, 415);

/// <summary>422: the request was understood but what it points at could not be used (a URL that cannot be fetched).</summary>
public sealed class UnprocessableException(ErrorType type, string detail) : AppException(type, detail, 422);

public sealed class RateLimitedException(string detail, TimeSpan retryAfter, ErrorType? type = null)
    : AppException(type ?? ErrorCatalog.RateLimited, detail, 429)
{
    public TimeSpan RetryAfter { get; } = retryAfter;
}
