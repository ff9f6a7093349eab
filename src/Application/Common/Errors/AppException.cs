namespace RenderOwl.Application.Common.Errors;

/// <summary>An expected failure. Mapped to an RFC 9457 problem by its <see cref="Type"/>; logged at Information.</summary>
public class AppException(ErrorType type, string detail) : Exception(detail)
{
    public ErrorType Type { get; } = type;
}

public sealed record FieldError(string Field, string Code, string Message);

public sealed class ValidationFailedException(IReadOnlyList<FieldError> errors)
    : AppException(ErrorCatalog.ValidationFailed, errors.Count == 1 ? errors[0].Message : $"{errors.Count} fields are invalid.")
{
    public IReadOnlyList<FieldError> Errors { get; } = errors;

    public static ValidationFailedException For(string field, string code, string message) => new([new FieldError(field, code, message)]);
}

public sealed class NotFoundException(string resource)
    : AppException(ErrorCatalog.NotFound, $"The {resource} does not exist.");

public sealed class PreconditionFailedException()
    : AppException(ErrorCatalog.PreconditionFailed, "The resource was modified since the ETag given in If-Match.");

public sealed class RateLimitedException(string detail, TimeSpan retryAfter, ErrorType? type = null) : AppException(type ?? ErrorCatalog.RateLimited, detail)
{
    public TimeSpan RetryAfter { get; } = retryAfter;
}
