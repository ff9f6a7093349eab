using System.Collections.Concurrent;
using SkiaSharp;

namespace RenderOwl.Infrastructure.Rendering.Drawing;

/// <summary>
/// The typefaces text is set in: a built-in family (DejaVu, Noto — system fonts found through fontconfig) or a font
/// file uploaded by the customer, each at the nearest weight; and the fallback for a character the chosen font lacks
/// (Noto Sans first, then any installed font that has it). Typefaces are loaded once per process and shared.
/// </summary>
public static class Fonts
{
    public const string DefaultFamily = "DejaVu Sans";
    public const string FallbackFamily = "Noto Sans";

    private static readonly ConcurrentDictionary<(string Family, int Weight), SKTypeface?> Families = new();
    private static readonly ConcurrentDictionary<string, SKTypeface?> Files = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<(int Codepoint, int Weight), SKTypeface?> Fallbacks = new();

    /// <summary>The installed family at the weight nearest <paramref name="weight"/>; null when the family is not installed.</summary>
    public static SKTypeface? Family(string family, int weight)
        => Families.GetOrAdd((family.ToLowerInvariant(), weight), key =>
        {
            var found = SKFontManager.Default.MatchFamily(family, new SKFontStyle(key.Weight, (int)SKFontStyleWidth.Normal, SKFontStyleSlant.Upright));
            // fontconfig answers every name with some font: only the asked family counts.
            return found is not null && string.Equals(found.FamilyName, family, StringComparison.OrdinalIgnoreCase) ? found : null;
        });

    /// <summary>A font file's typeface (an uploaded font); null when the file is not a font Skia can read.</summary>
    public static SKTypeface? File(string path) => Files.GetOrAdd(path, p => SKTypeface.FromFile(p));

    /// <summary>The family name a font file declares, or null when it is not a readable TTF/OTF.</summary>
    public static string? FamilyOf(string path)
    {
        using var typeface = SKTypeface.FromFile(path);
        return typeface?.FamilyName is { Length: > 0 } name ? name : null;
    }

    /// <summary>A typeface that has <paramref name="codepoint"/>: Noto Sans when it does, else any installed font; null when none has it.</summary>
    public static SKTypeface? Fallback(int codepoint, int weight)
        => Fallbacks.GetOrAdd((codepoint, weight), key =>
        {
            if (Family(FallbackFamily, key.Weight) is { } noto && Has(noto, key.Codepoint))
            {
                return noto;
            }
            var any = SKFontManager.Default.MatchCharacter(null, new SKFontStyle(key.Weight, (int)SKFontStyleWidth.Normal, SKFontStyleSlant.Upright), null, key.Codepoint);
            return any is not null && Has(any, key.Codepoint) ? any : null;
        });

    /// <summary>Whether the typeface has a glyph for the character.</summary>
    public static bool Has(SKTypeface typeface, int codepoint)
    {
        using var font = new SKFont(typeface);
        return font.ContainsGlyph(codepoint);
    }
}
