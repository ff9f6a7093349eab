namespace RenderOwl.Domain.Notifications;

/// <summary>An e-mail the SMTP server accepted, by its Message-ID: a retried sending job finds it and sends no second copy.</summary>
public sealed class SentEmail
{
    private SentEmail()
    {
        MessageId = string.Empty;
    }

    public string MessageId { get; private set; }
    public DateTimeOffset SentAt { get; private set; }

    public static SentEmail Record(string messageId, DateTimeOffset now) => new() { MessageId = messageId, SentAt = Common.Clock.ToStoragePrecision(now) };
}
