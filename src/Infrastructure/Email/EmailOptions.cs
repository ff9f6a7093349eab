using System.ComponentModel.DataAnnotations;

namespace RenderOwl.Infrastructure.Email;

/// <summary>Outgoing e-mail (<c>Email</c>): the SMTP server (under <c>make run</c> the local sink of scripts/services.sh) and the sender.</summary>
public sealed class EmailOptions
{
    public const string Section = "Email";

    public SmtpOptions Smtp { get; set; } = new();

    [Required]
    public string From { get; set; } = "RenderOwl <no-reply@renderowl.local>";

    /// <summary>Where links in e-mails point (the API's public address).</summary>
    [Required]
    public string PublicBaseUrl { get; set; } = "http://127.0.0.1:8080";
}

public sealed class SmtpOptions
{
    /// <summary>Empty: e-mail is off (renders still notify in-app).</summary>
    public string? Host { get; set; }
    public int Port { get; set; } = 587;
    public string? Username { get; set; }
    public string? Password { get; set; }
    /// <summary>STARTTLS (or TLS on 465); off only for a loopback server.</summary>
    public bool UseTls { get; set; } = true;
}
