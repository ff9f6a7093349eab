namespace RenderOwl.Domain.Common;

/// <summary>
/// A strongly typed identifier: a UUIDv7 in the database, <c>prefix_</c> + 26 base32 characters at the API.
/// </summary>
public interface ITypedId<TSelf> where TSelf : struct, ITypedId<TSelf>
{
    static abstract string Prefix { get; }
    static abstract TSelf From(Guid value);
    Guid Value { get; }
}

public static class TypedId
{
    public static string Format<T>(T id) where T : struct, ITypedId<T>
        => string.Concat(T.Prefix, "_", CrockfordBase32.Encode(id.Value));

    public static bool TryParse<T>(string? text, out T id) where T : struct, ITypedId<T>
    {
        id = default;
        var prefix = T.Prefix;
        if (text is null || text.Length != prefix.Length + 1 + CrockfordBase32.Length
            || !text.StartsWith(prefix, StringComparison.Ordinal) || text[prefix.Length] != '_'
            || !CrockfordBase32.TryDecode(text.AsSpan(prefix.Length + 1), out var guid))
        {
            return false;
        }
        id = T.From(guid);
        return true;
    }

    public static T New<T>(DateTimeOffset now) where T : struct, ITypedId<T> => T.From(Guid.CreateVersion7(now));
}

public readonly record struct UserId(Guid Value) : ITypedId<UserId>, IParsable<UserId>
{
    public static string Prefix => "usr";
    public static UserId From(Guid value) => new(value);
    public override string ToString() => TypedId.Format(this);
    public static UserId Parse(string s, IFormatProvider? provider) => TryParse(s, provider, out var id) ? id : throw new FormatException("Not a user id.");
    public static bool TryParse(string? s, IFormatProvider? provider, out UserId result) => TypedId.TryParse(s, out result);
}

public readonly record struct ProjectId(Guid Value) : ITypedId<ProjectId>, IParsable<ProjectId>
{
    public static string Prefix => "proj";
    public static ProjectId From(Guid value) => new(value);
    public override string ToString() => TypedId.Format(this);
    public static ProjectId Parse(string s, IFormatProvider? provider) => TryParse(s, provider, out var id) ? id : throw new FormatException("Not a project id.");
    public static bool TryParse(string? s, IFormatProvider? provider, out ProjectId result) => TypedId.TryParse(s, out result);
}

public readonly record struct ApiKeyId(Guid Value) : ITypedId<ApiKeyId>, IParsable<ApiKeyId>
{
    public static string Prefix => "key";
    public static ApiKeyId From(Guid value) => new(value);
    public override string ToString() => TypedId.Format(this);
    public static ApiKeyId Parse(string s, IFormatProvider? provider) => TryParse(s, provider, out var id) ? id : throw new FormatException("Not an API key id.");
    public static bool TryParse(string? s, IFormatProvider? provider, out ApiKeyId result) => TypedId.TryParse(s, out result);
}

public readonly record struct AssetId(Guid Value) : ITypedId<AssetId>, IParsable<AssetId>
{
    public static string Prefix => "ast";
    public static AssetId From(Guid value) => new(value);
    public override string ToString() => TypedId.Format(this);
    public static AssetId Parse(string s, IFormatProvider? provider) => TryParse(s, provider, out var id) ? id : throw new FormatException("Not an asset id.");
    public static bool TryParse(string? s, IFormatProvider? provider, out AssetId result) => TypedId.TryParse(s, out result);
}

public readonly record struct TemplateId(Guid Value) : ITypedId<TemplateId>, IParsable<TemplateId>
{
    public static string Prefix => "tpl";
    public static TemplateId From(Guid value) => new(value);
    public override string ToString() => TypedId.Format(this);
    public static TemplateId Parse(string s, IFormatProvider? provider) => TryParse(s, provider, out var id) ? id : throw new FormatException("Not a template id.");
    public static bool TryParse(string? s, IFormatProvider? provider, out TemplateId result) => TypedId.TryParse(s, out result);
}

public readonly record struct RenderId(Guid Value) : ITypedId<RenderId>, IParsable<RenderId>
{
    public static string Prefix => "rnd";
    public static RenderId From(Guid value) => new(value);
    public override string ToString() => TypedId.Format(this);
    public static RenderId Parse(string s, IFormatProvider? provider) => TryParse(s, provider, out var id) ? id : throw new FormatException("Not a render id.");
    public static bool TryParse(string? s, IFormatProvider? provider, out RenderId result) => TypedId.TryParse(s, out result);
}

public readonly record struct NotificationId(Guid Value) : ITypedId<NotificationId>, IParsable<NotificationId>
{
    public static string Prefix => "ntf";
    public static NotificationId From(Guid value) => new(value);
    public override string ToString() => TypedId.Format(this);
    public static NotificationId Parse(string s, IFormatProvider? provider) => TryParse(s, provider, out var id) ? id : throw new FormatException("Not a notification id.");
    public static bool TryParse(string? s, IFormatProvider? provider, out NotificationId result) => TypedId.TryParse(s, out result);
}

public readonly record struct EventId(Guid Value) : ITypedId<EventId>, IParsable<EventId>
{
    public static string Prefix => "evt";
    public static EventId From(Guid value) => new(value);
    public override string ToString() => TypedId.Format(this);
    public static EventId Parse(string s, IFormatProvider? provider) => TryParse(s, provider, out var id) ? id : throw new FormatException("Not an event id.");
    public static bool TryParse(string? s, IFormatProvider? provider, out EventId result) => TypedId.TryParse(s, out result);
}

public readonly record struct WebhookId(Guid Value) : ITypedId<WebhookId>, IParsable<WebhookId>
{
    public static string Prefix => "whk";
    public static WebhookId From(Guid value) => new(value);
    public override string ToString() => TypedId.Format(this);
    public static WebhookId Parse(string s, IFormatProvider? provider) => TryParse(s, provider, out var id) ? id : throw new FormatException("Not a webhook id.");
    public static bool TryParse(string? s, IFormatProvider? provider, out WebhookId result) => TypedId.TryParse(s, out result);
}

public readonly record struct DeliveryId(Guid Value) : ITypedId<DeliveryId>, IParsable<DeliveryId>
{
    public static string Prefix => "dlv";
    public static DeliveryId From(Guid value) => new(value);
    public override string ToString() => TypedId.Format(this);
    public static DeliveryId Parse(string s, IFormatProvider? provider) => TryParse(s, provider, out var id) ? id : throw new FormatException("Not a delivery id.");
    public static bool TryParse(string? s, IFormatProvider? provider, out DeliveryId result) => TypedId.TryParse(s, out result);
}

public readonly record struct ExportId(Guid Value) : ITypedId<ExportId>, IParsable<ExportId>
{
    public static string Prefix => "exp";
    public static ExportId From(Guid value) => new(value);
    public override string ToString() => TypedId.Format(this);
    public static ExportId Parse(string s, IFormatProvider? provider) => TryParse(s, provider, out var id) ? id : throw new FormatException("Not an export id.");
    public static bool TryParse(string? s, IFormatProvider? provider, out ExportId result) => TypedId.TryParse(s, out result);
}

public readonly record struct ErrorLogId(Guid Value) : ITypedId<ErrorLogId>, IParsable<ErrorLogId>
{
    public static string Prefix => "err";
    public static ErrorLogId From(Guid value) => new(value);
    public override string ToString() => TypedId.Format(this);
    public static ErrorLogId Parse(string s, IFormatProvider? provider) => TryParse(s, provider, out var id) ? id : throw new FormatException("Not an error id.");
    public static bool TryParse(string? s, IFormatProvider? provider, out ErrorLogId result) => TypedId.TryParse(s, out result);
}
