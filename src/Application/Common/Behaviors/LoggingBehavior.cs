using System.Diagnostics;
using Mediator;
using Microsoft.Extensions.Logging;
using RenderOwl.Application.Common.Errors;

namespace RenderOwl.Application.Common.Behaviors;

public sealed class LoggingBehavior<TMessage, TResponse>(ILogger<LoggingBehavior<TMessage, TResponse>> logger)
    : IPipelineBehavior<TMessage, TResponse>
    where TMessage : notnull, IMessage
{
    public async ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        var name = typeof(TMessage).Name;
        var started = Stopwatch.GetTimestamp();
        try
        {
            var response = await next(message, cancellationToken);
            if (logger.IsEnabled(LogLevel.Debug)) // the arguments are boxed into an array before the level is checked otherwise
            {
                logger.LogDebug("{Message} handled in {ElapsedMs:0.0} ms", name, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
            return response;
        }
        catch (AppException ex)
        {
            // Expected failures (4xx) are information, so error tracking sees only real faults.
            logger.LogInformation("{Message} rejected: {ProblemType} after {ElapsedMs:0.0} ms", name, ex.Type.Slug, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            throw;
        }
    }
}
