using RenderOwl.Application.Common.Errors;
using RenderOwl.Domain.Common;
using RenderOwl.Domain.Rendering;

namespace RenderOwl.Application.Rendering;

/// <summary>
/// Resolves when each layer starts and ends and how long the composition is: <c>"start": "after:&lt;id&gt;"</c> follows
/// the named layer's end; a video or audio layer without <c>duration</c> lasts as long as its media (after
/// <c>trim_start</c>, <c>trim_duration</c> and <c>speed</c>; a looping one lasts to the end); a composition without
/// <c>duration</c> ends where its last layer with an end of its own ends. The result has every start as seconds and
/// the duration set: what is stored with the render and rendered.
/// </summary>
public static class Timeline
{
    /// <summary>Ids unique, every <c>after:</c> naming a layer, no cycle — what can be checked without the media.</summary>
    public static List<FieldError> CheckReferences(Composition composition, string prefix)
    {
        var errors = new List<FieldError>();
        Resolve(composition, static _ => null, prefix, errors, referencesOnly: true);
        return errors;
    }

    /// <summary>The resolved composition, or null with the reasons in <paramref name="errors"/>.</summary>
    public static Composition? Resolve(Composition composition, Func<AssetId, double?> mediaSeconds, string prefix, List<FieldError> errors)
        => Resolve(composition, mediaSeconds, prefix, errors, referencesOnly: false);

    private static Composition? Resolve(Composition composition, Func<AssetId, double?> mediaSeconds, string prefix, List<FieldError> errors, bool referencesOnly)
    {
        var layers = composition.Layers;
        var before = errors.Count;
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < layers.Count; i++)
        {
            if (layers[i].Id is { } id && !ids.TryAdd(id, i))
            {
                errors.Add(new FieldError($"{prefix}.layers[{i}].id", "duplicate_id", $"Another layer already has the id '{id}'."));
            }
        }
        var lengths = layers.Select(l => Length(l, mediaSeconds)).ToArray();
        var starts = new double?[layers.Count];
        var state = new int[layers.Count]; // 0 not yet, 1 on the current path, 2 done
        for (var i = 0; i < layers.Count; i++)
        {
            StartOf(i);
        }
        if (errors.Count > before || referencesOnly)
        {
            return null;
        }
        var ends = Enumerable.Range(0, layers.Count).Where(i => lengths[i] is not null).Select(i => starts[i]!.Value + lengths[i]!.Value).ToList();
        if ((composition.Duration ?? (ends.Count > 0 ? ends.Max() : null)) is not { } duration)
        {
            errors.Add(new FieldError($"{prefix}.duration", "required", $"'{prefix}.duration' is required: no layer has an end of its own (a duration, or media that ends)."));
            return null;
        }
        if (duration <= 0 || duration > CompositionRules.MaxDuration)
        {
            errors.Add(new FieldError($"{prefix}.duration", "out_of_range", $"The composition lasts {duration:0.###} s; it must be above 0 and at most {CompositionRules.MaxDuration} s."));
            return null;
        }
        for (var i = 0; i < layers.Count; i++)
        {
            if (starts[i] >= duration)
            {
                errors.Add(new FieldError($"{prefix}.layers[{i}].start", "out_of_range", $"'{prefix}.layers[{i}].start' must be within the composition's duration ({duration:0.###} s)."));
            }
        }
        if (errors.Count > before)
        {
            return null;
        }
        var resolved = layers.Select((l, i) => l with { StartAt = LayerStart.At(starts[i]!.Value), Duration = l.Duration ?? lengths[i] }).ToList();
        return composition with { Duration = duration, Layers = resolved };

        double? StartOf(int i)
        {
            if (state[i] == 2)
            {
                return starts[i];
            }
            if (state[i] == 1)
            {
                errors.Add(new FieldError($"{prefix}.layers[{i}].start", "cycle", "The layers' 'after:' starts go round in a circle."));
                state[i] = 2;
                return null;
            }
            state[i] = 1;
            double? start = layers[i].StartAt.Seconds ?? 0;
            if (layers[i].StartAt.After is { } after)
            {
                var field = $"{prefix}.layers[{i}].start";
                if (!ids.TryGetValue(after, out var j))
                {
                    errors.Add(new FieldError(field, "unknown_layer", $"No layer has the id '{after}'."));
                    start = null;
                }
                else if (StartOf(j) is { } previous)
                {
                    if (lengths[j] is { } length)
                    {
                        start = previous + length;
                    }
                    else
                    {
                        if (!referencesOnly)
                        {
                            errors.Add(new FieldError(field, "open_ended", $"The layer '{after}' lasts to the end of the composition: nothing can start after it."));
                        }
                        start = null;
                    }
                }
                else
                {
                    start = null;
                }
            }
            starts[i] = start;
            state[i] = 2;
            return start;
        }
    }

    /// <summary>A layer's own length: its duration, else its media's (trimmed, at its speed) unless it loops; null when it lasts to the end.</summary>
    public static double? Length(Layer layer, Func<AssetId, double?> mediaSeconds)
    {
        if (layer.Duration is { } duration)
        {
            return duration;
        }
        if (layer.Type == LayerType.Caption)
        {
            // Ends with its last cue: inline cues are read here; a subtitle asset's length is its last cue's end, kept at upload.
            if ((layer.Srt ?? layer.Vtt) is { } inline)
            {
                return Subtitles.Parse(inline, []).Select(c => (double?)c.End).DefaultIfEmpty(null).Max();
            }
            return layer.AssetId is { } subtitles ? mediaSeconds(subtitles) : null;
        }
        if (layer.Type is not (LayerType.Video or LayerType.Audio) || layer.Loop == true || layer.AssetId is not { } asset)
        {
            return null;
        }
        var media = layer.TrimDuration ?? (mediaSeconds(asset) is { } seconds ? Math.Max(0, seconds - (layer.TrimStart ?? 0)) : (double?)null);
        return media is { } m && m > 0 ? m / (layer.Speed ?? 1) : null;
    }
}
