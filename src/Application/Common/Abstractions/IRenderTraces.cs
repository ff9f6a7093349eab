using RenderOwl.Domain.Common;

namespace RenderOwl.Application.Common.Abstractions;

/// <summary>Renders, for the Webhooks module: the trace a render's later work joins (its submitting request's <c>traceparent</c>).</summary>
public interface IRenderTraces
{
    Task<string?> TraceParentAsync(RenderId render, CancellationToken cancellationToken);
}
