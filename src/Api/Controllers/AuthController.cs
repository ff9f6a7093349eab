using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using RenderOwl.Application.Identity;

namespace RenderOwl.Api.Controllers;

[Route("v1/auth")]
[AllowAnonymous]
public sealed class AuthController : ApiControllerBase
{
    public sealed record RegisterRequest(string Email, string Password, string Name);
    public sealed record LoginRequest(string Email, string Password);
    public sealed record RefreshRequest(string RefreshToken);

    /// <summary>Create an account; answers with the user and a first pair of tokens.</summary>
    [HttpPost("register")]
    [ProducesResponseType<AuthResponse>(StatusCodes.Status201Created)]
    public async Task<IActionResult> Register(RegisterRequest request, CancellationToken ct)
    {
        var result = await Sender.Send(new RegisterCommand(request.Email, request.Password, request.Name), ct);
        return Created("/v1/me", result);
    }

    [HttpPost("login")]
    [ProducesResponseType<AuthResponse>(StatusCodes.Status200OK)]
    public async Task<AuthResponse> Login(LoginRequest request, CancellationToken ct)
        => await Sender.Send(new LoginCommand(request.Email, request.Password), ct);

    /// <summary>Trade a refresh token for a new pair. Each refresh token works once; a reused one revokes its whole family.</summary>
    [HttpPost("refresh")]
    [ProducesResponseType<AuthResponse>(StatusCodes.Status200OK)]
    public async Task<AuthResponse> Refresh(RefreshRequest request, CancellationToken ct)
        => await Sender.Send(new RefreshCommand(request.RefreshToken), ct);

    /// <summary>End the session the refresh token belongs to. Access tokens already issued expire on their own (15 minutes).</summary>
    [HttpPost("logout")]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    public async Task<IActionResult> Logout(RefreshRequest request, CancellationToken ct)
    {
        await Sender.Send(new LogoutCommand(request.RefreshToken), ct);
        return NoContent();
    }
}
