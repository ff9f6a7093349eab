using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using RenderOwl.Domain.Common;

namespace RenderOwl.Application.Common.Json;

/// <summary>The API's JSON: snake_case, lower-case enums, RFC 3339 UTC with milliseconds, prefixed ids, depth ≤ 32.</summary>
public static class ApiJson
{
    public const int MaxDepth = 32;

    public static void Configure(JsonSerializerOptions o)
    {
        o.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        o.DictionaryKeyPolicy = null;
        o.MaxDepth = MaxDepth;
        o.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        o.NumberHandling = JsonNumberHandling.Strict;
        o.AllowDuplicateProperties = false; // {"name":"x","name":"y"} is refused, not half-read
        o.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false));
        o.Converters.Add(new UtcTimestampConverter());
        o.Converters.Add(new TypedIdConverterFactory());
        o.Converters.Add(new OptionalConverterFactory());
        o.Converters.Add(new CoordinateConverter());
        o.Converters.Add(new LengthConverter());
        o.Converters.Add(new FontSizeConverter());
        o.Converters.Add(new LayerStartConverter());
    }

    /// <summary>The API's options, for code outside MVC (template resolution, composition parsing).</summary>
    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var o = new JsonSerializerOptions();
        Configure(o);
        o.MakeReadOnly(populateMissingResolver: true);
        return o;
    }

    /// <summary>A coordinate is pixels (a number), a percentage of the frame (<c>"50%"</c>) or a keyword (a string).</summary>
    private sealed class CoordinateConverter : JsonConverter<Domain.Rendering.Coordinate>
    {
        public override Domain.Rendering.Coordinate Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
        {
            JsonTokenType.Number => Domain.Rendering.Coordinate.At(reader.GetDouble()),
            JsonTokenType.String => Percent(reader.GetString()!) is { } percent
                ? Domain.Rendering.Coordinate.PercentOf(percent)
                : Domain.Rendering.Coordinate.Named(reader.GetString()!),
            _ => throw new JsonException("Expected a number of pixels, a percentage or a keyword."),
        };

        public override void Write(Utf8JsonWriter writer, Domain.Rendering.Coordinate value, JsonSerializerOptions options)
        {
            if (value.Pixels is { } px)
            {
                writer.WriteNumberValue(px);
            }
            else if (value.Percent is { } percent)
            {
                writer.WriteStringValue(N(percent) + "%");
            }
            else
            {
                writer.WriteStringValue(value.Keyword);
            }
        }
    }

    /// <summary>A length is pixels (a number) or a percentage of the frame (<c>"50%"</c>).</summary>
    private sealed class LengthConverter : JsonConverter<Domain.Rendering.Length>
    {
        public override Domain.Rendering.Length Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
        {
            JsonTokenType.Number => new Domain.Rendering.Length(reader.GetDouble(), null),
            JsonTokenType.String when Percent(reader.GetString()!) is { } percent => Domain.Rendering.Length.PercentOf(percent),
            _ => throw new JsonException("Expected a number of pixels or a percentage like \"50%\"."),
        };

        public override void Write(Utf8JsonWriter writer, Domain.Rendering.Length value, JsonSerializerOptions options)
        {
            if (value.Pixels is { } px)
            {
                writer.WriteNumberValue(px);
            }
            else
            {
                writer.WriteStringValue(N(value.Percent ?? 100) + "%");
            }
        }
    }

    /// <summary>A font size is points (a number) or <c>"auto"</c>.</summary>
    private sealed class FontSizeConverter : JsonConverter<Domain.Rendering.FontSize>
    {
        public override Domain.Rendering.FontSize Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
        {
            JsonTokenType.Number => new Domain.Rendering.FontSize(reader.GetDouble(), false),
            JsonTokenType.String when reader.GetString() == "auto" => Domain.Rendering.FontSize.Fit,
            _ => throw new JsonException("Expected a number or \"auto\"."),
        };

        public override void Write(Utf8JsonWriter writer, Domain.Rendering.FontSize value, JsonSerializerOptions options)
        {
            if (value.Auto)
            {
                writer.WriteStringValue("auto");
            }
            else
            {
                writer.WriteNumberValue(value.Points ?? 0);
            }
        }
    }

    /// <summary>A layer's start is seconds (a number) or <c>"after:&lt;layer id&gt;"</c>.</summary>
    private sealed class LayerStartConverter : JsonConverter<Domain.Rendering.LayerStart>
    {
        public override Domain.Rendering.LayerStart Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
        {
            JsonTokenType.Number => Domain.Rendering.LayerStart.At(reader.GetDouble()),
            JsonTokenType.String when reader.GetString() is { } text && text.StartsWith("after:", StringComparison.Ordinal) && text.Length > 6
                => Domain.Rendering.LayerStart.AfterLayer(text[6..]),
            _ => throw new JsonException("Expected seconds or \"after:<layer id>\"."),
        };

        public override void Write(Utf8JsonWriter writer, Domain.Rendering.LayerStart value, JsonSerializerOptions options)
        {
            if (value.After is { } id)
            {
                writer.WriteStringValue("after:" + id);
            }
            else
            {
                writer.WriteNumberValue(value.Seconds ?? 0);
            }
        }
    }

    /// <summary>"12.5%" → 12.5; null for anything else.</summary>
    private static double? Percent(string text)
        => text.Length > 1 && text[^1] == '%' && double.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            && double.IsFinite(value) ? value : null;

    private static string N(double value) => value.ToString("0.######", CultureInfo.InvariantCulture);

    private sealed class UtcTimestampConverter : JsonConverter<DateTimeOffset>
    {
        public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
            => reader.TokenType == JsonTokenType.String && DateTimeOffset.TryParse(reader.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value)
                ? value.ToUniversalTime()
                : throw new JsonException("Expected an RFC 3339 timestamp.");

        public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options)
            => writer.WriteStringValue(value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
    }

    private sealed class TypedIdConverterFactory : JsonConverterFactory
    {
        public override bool CanConvert(Type typeToConvert)
            => typeToConvert.IsValueType && typeToConvert.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(ITypedId<>));

        public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options)
            => (JsonConverter)Activator.CreateInstance(typeof(TypedIdConverter<>).MakeGenericType(typeToConvert))!;
    }

    private sealed class TypedIdConverter<T> : JsonConverter<T> where T : struct, ITypedId<T>
    {
        public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
            => reader.TokenType == JsonTokenType.String && TypedId.TryParse<T>(reader.GetString(), out var id)
                ? id
                : throw new InvalidIdJsonException($"Not a valid id: expected '{T.Prefix}_' followed by 26 base32 characters.");

        public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options)
            => writer.WriteStringValue(TypedId.Format(value));
    }

    private sealed class OptionalConverterFactory : JsonConverterFactory
    {
        public override bool CanConvert(Type typeToConvert)
            => typeToConvert.IsGenericType && typeToConvert.GetGenericTypeDefinition() == typeof(Optional<>);

        public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options)
            => (JsonConverter)Activator.CreateInstance(typeof(OptionalConverter<>).MakeGenericType(typeToConvert.GetGenericArguments()[0]))!;
    }

    /// <summary>Called only when the property is present in the JSON; absent properties stay <see cref="Optional{T}.Unset"/>.</summary>
    private sealed class OptionalConverter<T> : JsonConverter<Optional<T>>
    {
        public override bool HandleNull => true;

        public override Optional<T> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
            => Optional<T>.Of(JsonSerializer.Deserialize<T>(ref reader, options)!);

        public override void Write(Utf8JsonWriter writer, Optional<T> value, JsonSerializerOptions options)
            => JsonSerializer.Serialize(writer, value.Value, options);
    }
}

/// <summary>A string that is not an id of the expected kind (<c>invalid_id</c>), told apart from other conversion failures by its type.</summary>
public sealed class InvalidIdJsonException(string message) : JsonException(message);
