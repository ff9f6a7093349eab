using Microsoft.AspNetCore.Mvc;
using RenderOwl.Application.Common;
using RenderOwl.Application.Common.Pagination;
using RenderOwl.Application.Webhooks;
using RenderOwl.Domain.Common;

namespace RenderOwl.Api.Controllers;

public sealed class WebhooksController : ApiControllerBase
{
    public sealed record CreateWebhookRequest(string? Url, IReadOnlyList<string>? Events, string? Description);
    public sealed record UpdateWebhookRequest(Optional<string?> Url, Optional<IReadOnlyList<string>?> Events, Optional<string?> Description, Optional<bool?> Enabled);

    /// <summary>A project endpoint for render events. The answer holds its signing secret (<c>whsec_…</c>): shown this once.</summary>
    [HttpPost("v1/projects/{project_id}/webhooks")]
    [ProducesResponseType<CreatedWebhookResponse>(StatusCodes.Status201Created)]
    public async Task<IActionResult> Create([FromRoute(Name = "project_id")] ProjectId projectId, CreateWebhookRequest request, CancellationToken ct)
    {
        var created = await Sender.Send(new CreateWebhookCommand(projectId, request.Url, request.Events, request.Description), ct);
        return Created($"/v1/webhooks/{created.Id}", created);
    }

    [HttpGet("v1/projects/{project_id}/webhooks")]
    [ProducesResponseType<Page<WebhookResponse>>(StatusCodes.Status200OK)]
    public async Task<Page<WebhookResponse>> List([FromRoute(Name = "project_id")] ProjectId projectId,
        [FromQuery(Name = "page_size")] int? pageSize, [FromQuery] int? page, [FromQuery] string? cursor, CancellationToken ct)
        => await Sender.Send(new ListWebhooksQuery(projectId, PageOf(pageSize, page, cursor)), ct);

    /// <summary>The account's secret that signs deliveries to renders' own <c>webhook_url</c>.</summary>
    [HttpGet("v1/webhooks/signing-secret")]
    [ProducesResponseType<SecretResponse>(StatusCodes.Status200OK)]
    public async Task<SecretResponse> SigningSecret(CancellationToken ct) => await Sender.Send(new GetSigningSecretCommand(), ct);

    /// <summary>A new account signing secret; the old one still signs (a second <c>v1,</c>) for 24 h.</summary>
    [HttpPost("v1/webhooks/signing-secret/rotate")]
    [ProducesResponseType<SecretResponse>(StatusCodes.Status200OK)]
    public async Task<SecretResponse> RotateSigningSecret(CancellationToken ct) => await Sender.Send(new RotateSigningSecretCommand(), ct);

    [HttpGet("v1/webhooks/{webhook_id}")]
    [ProducesResponseType<WebhookResponse>(StatusCodes.Status200OK)]
    public async Task<WebhookResponse> Get([FromRoute(Name = "webhook_id")] WebhookId id, CancellationToken ct) => await Sender.Send(new GetWebhookQuery(id), ct);

    [HttpPatch("v1/webhooks/{webhook_id}")]
    [ProducesResponseType<WebhookResponse>(StatusCodes.Status200OK)]
    public async Task<WebhookResponse> Update([FromRoute(Name = "webhook_id")] WebhookId id, UpdateWebhookRequest request, CancellationToken ct)
        => await Sender.Send(new UpdateWebhookCommand(id, request.Url, request.Events, request.Description, request.Enabled), ct);

    [HttpDelete("v1/webhooks/{webhook_id}")]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    public async Task<IActionResult> Delete([FromRoute(Name = "webhook_id")] WebhookId id, CancellationToken ct)
    {
        await Sender.Send(new DeleteWebhookCommand(id), ct);
        return NoContent();
    }

    /// <summary>A new secret, shown once; the old one still signs (a second <c>v1,</c>) for 24 h.</summary>
    [HttpPost("v1/webhooks/{webhook_id}/rotate-secret")]
    [ProducesResponseType<SecretResponse>(StatusCodes.Status200OK)]
    public async Task<SecretResponse> RotateSecret([FromRoute(Name = "webhook_id")] WebhookId id, CancellationToken ct)
        => await Sender.Send(new RotateWebhookSecretCommand(id), ct);

    /// <summary>Sends a <c>webhook.test</c> event to this endpoint now (202; see its deliveries).</summary>
    [HttpPost("v1/webhooks/{webhook_id}/test")]
    [ProducesResponseType(StatusCodes.Status202Accepted)]
    public async Task<IActionResult> Test([FromRoute(Name = "webhook_id")] WebhookId id, CancellationToken ct)
    {
        await Sender.Send(new TestWebhookCommand(id), ct);
        return Accepted();
    }

    [HttpGet("v1/webhooks/{webhook_id}/deliveries")]
    [ProducesResponseType<Page<DeliveryResponse>>(StatusCodes.Status200OK)]
    public async Task<Page<DeliveryResponse>> Deliveries([FromRoute(Name = "webhook_id")] WebhookId id,
        [FromQuery(Name = "page_size")] int? pageSize, [FromQuery] int? page, [FromQuery] string? cursor, CancellationToken ct)
        => await Sender.Send(new ListWebhookDeliveriesQuery(id, PageOf(pageSize, page, cursor)), ct);

    [HttpGet("v1/renders/{render_id}/deliveries")]
    [ProducesResponseType<Page<DeliveryResponse>>(StatusCodes.Status200OK)]
    public async Task<Page<DeliveryResponse>> RenderDeliveries([FromRoute(Name = "render_id")] RenderId id,
        [FromQuery(Name = "page_size")] int? pageSize, [FromQuery] int? page, [FromQuery] string? cursor, CancellationToken ct)
        => await Sender.Send(new ListRenderDeliveriesQuery(id, PageOf(pageSize, page, cursor)), ct);

    /// <summary>One more attempt now: the same event id, a new signature (202).</summary>
    [HttpPost("v1/webhook-deliveries/{delivery_id}/redeliver")]
    [ProducesResponseType(StatusCodes.Status202Accepted)]
    public async Task<IActionResult> Redeliver([FromRoute(Name = "delivery_id")] DeliveryId id, CancellationToken ct)
    {
        await Sender.Send(new RedeliverDeliveryCommand(id), ct);
        return Accepted();
    }
}
