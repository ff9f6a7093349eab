using Microsoft.AspNetCore.Mvc;
using RenderOwl.Application.Common.Pagination;
using RenderOwl.Application.Identity.ApiKeys;
using RenderOwl.Domain.Common;
using RenderOwl.Domain.Identity;

namespace RenderOwl.Api.Controllers;

[Route("v1/api-keys")]
public sealed class ApiKeysController : ApiControllerBase
{
    public sealed record CreateApiKeyRequest(string Name, ApiKeyMode? Mode, string? Password);

    /// <summary>
    /// Create a key. The full key is in this response only; it is stored as a hash. <c>"mode": "test"</c> makes a sandbox key (rok_test_…).
    /// Needs a session signed in within <c>Auth:ReauthMaxAgeMinutes</c> (10), or the current password in <c>password</c> (401 <c>reauth-required</c>).
    /// </summary>
    [HttpPost]
    [ProducesResponseType<ApiKeyCreatedResponse>(StatusCodes.Status201Created)]
    public async Task<IActionResult> Create(CreateApiKeyRequest request, CancellationToken ct)
    {
        var key = await Sender.Send(new CreateApiKeyCommand(request.Name, request.Mode ?? ApiKeyMode.Live, request.Password), ct);
        return Created($"/v1/api-keys/{key.Id}", key);
    }

    [HttpGet]
    [ProducesResponseType<Page<ApiKeyResponse>>(StatusCodes.Status200OK)]
    public async Task<Page<ApiKeyResponse>> List([FromQuery(Name = "page_size")] int? pageSize, [FromQuery] int? page, [FromQuery] string? cursor, CancellationToken ct)
        => await Sender.Send(new ListApiKeysQuery(PageOf(pageSize, page, cursor)), ct);

    [HttpGet("{key_id}")]
    [ProducesResponseType<ApiKeyResponse>(StatusCodes.Status200OK)]
    public async Task<ApiKeyResponse> Get([FromRoute(Name = "key_id")] ApiKeyId id, CancellationToken ct)
        => await Sender.Send(new GetApiKeyQuery(id), ct);

    /// <summary>Revoke a key: it stops working at once, on every instance.</summary>
    [HttpDelete("{key_id}")]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    public async Task<IActionResult> Revoke([FromRoute(Name = "key_id")] ApiKeyId id, CancellationToken ct)
    {
        await Sender.Send(new RevokeApiKeyCommand(id), ct);
        return NoContent();
    }
}
