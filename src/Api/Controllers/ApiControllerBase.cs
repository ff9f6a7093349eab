using Mediator;
using Microsoft.AspNetCore.Mvc;
using RenderOwl.Application.Common.Pagination;

namespace RenderOwl.Api.Controllers;

[ApiController]
public abstract class ApiControllerBase : ControllerBase
{
    private ISender? _sender;

    protected ISender Sender => _sender ??= HttpContext.RequestServices.GetRequiredService<ISender>();

    protected static PageRequest PageOf(int? pageSize, int? page, string? cursor)
        => new(pageSize ?? PageRequest.DefaultPageSize, page, cursor);
}
