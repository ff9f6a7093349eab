using Microsoft.EntityFrameworkCore;
using Npgsql;
using RenderOwl.Application.Common.Abstractions;
using RenderOwl.Application.Common.Errors;

namespace RenderOwl.Infrastructure.Persistence;

public sealed class StorageFailures : IStorageFailures
{
    public bool IsUnreachable(Exception exception) => DatabaseFailures.IsUnreachable(exception);

    public (ErrorType Type, string Detail)? Classify(Exception exception) => exception switch
    {
        DbUpdateConcurrencyException => (ErrorCatalog.PreconditionFailed, "The resource was modified concurrently; read it again."),
        DbUpdateException { InnerException: PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } }
            => (ErrorCatalog.Conflict, "A resource with the same unique value already exists."),
        _ when DatabaseFailures.IsUnreachable(exception) => (ErrorCatalog.ServiceUnavailable, "The database is unreachable; retry shortly."),
        _ => null,
    };
}
