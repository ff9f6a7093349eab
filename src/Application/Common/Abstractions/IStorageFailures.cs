using RenderOwl.Application.Common.Errors;

namespace RenderOwl.Application.Common.Abstractions;

/// <summary>Faults of the database that are expected problems, told apart by the layer that knows the driver.</summary>
public interface IStorageFailures
{
    /// <summary>The server cannot be reached (refused, timed out, shutting down): 503, worth a retry.</summary>
    bool IsUnreachable(Exception exception);

    /// <summary>The problem an exception of the storage layer stands for (unreachable, unique violation, concurrent change); null when it is a real fault.</summary>
    (ErrorType Type, string Detail)? Classify(Exception exception);
}
