using HdrHistogram;

namespace RenderOwl.Infrastructure.Observability;

/// <summary>
/// A sliding window of latencies in fixed memory: <see cref="Slots"/> time slots, each an HdrHistogram (microseconds,
/// two significant digits: 1 % precision, ~8 KiB) with an error count and an exact maximum. A slot is reused, reset,
/// when the clock reaches it again, so what is summed is always the last window and nothing grows with traffic.
/// </summary>
public sealed class LatencyWindow(long slotTicks)
{
    public const int Slots = 15;
    private const long MaxMicros = 3_600_000_000; // an hour: anything slower is recorded as an hour

    private readonly Slot[] _slots = Enumerable.Range(0, Slots).Select(_ => new Slot()).ToArray();

    public void Record(long timestampTicks, long micros, bool error)
    {
        var epoch = timestampTicks / slotTicks;
        var slot = _slots[epoch % Slots];
        if (Volatile.Read(ref slot.Epoch) != epoch)
        {
            slot.Renew(epoch);
        }
        var value = Math.Clamp(micros, 1, MaxMicros);
        slot.Latency.RecordValue(value);
        if (error)
        {
            Interlocked.Increment(ref slot.Errors);
        }
        var max = Volatile.Read(ref slot.Max);
        while (value > max)
        {
            var seen = Interlocked.CompareExchange(ref slot.Max, value, max);
            if (seen == max)
            {
                break;
            }
            max = seen;
        }
    }

    /// <summary>Count and errors of the window ending at <paramref name="timestampTicks"/> (cheap: no histogram is read).</summary>
    public (long Count, long Errors) Totals(long timestampTicks)
    {
        long count = 0, errors = 0;
        foreach (var slot in Live(timestampTicks))
        {
            count += slot.Latency.TotalCount;
            errors += Interlocked.Read(ref slot.Errors);
        }
        return (count, errors);
    }

    /// <summary>The window's figures, or null when nothing was recorded in it.</summary>
    public WindowFigures? Read(long timestampTicks)
    {
        var sum = NewHistogram();
        long errors = 0, max = 0;
        foreach (var slot in Live(timestampTicks))
        {
            sum.Add(slot.Latency);
            errors += Interlocked.Read(ref slot.Errors);
            max = Math.Max(max, Interlocked.Read(ref slot.Max));
        }
        return Figures(sum, errors, max);
    }

    /// <summary>One slot's figures (slot <paramref name="epoch"/>: timestamp / slot length), or null when it holds nothing of that time.</summary>
    public WindowFigures? ReadSlot(long epoch)
    {
        var slot = _slots[epoch % Slots];
        if (Volatile.Read(ref slot.Epoch) != epoch)
        {
            return null;
        }
        var copy = NewHistogram();
        copy.Add(slot.Latency);
        return Figures(copy, Interlocked.Read(ref slot.Errors), Interlocked.Read(ref slot.Max));
    }

    /// <summary>A histogram's figures in milliseconds; null when it holds nothing.</summary>
    private static WindowFigures? Figures(IntConcurrentHistogram latency, long errors, long max)
    {
        if (latency.TotalCount == 0)
        {
            return null;
        }
        static double Ms(long micros) => Math.Round(micros / 1000.0, 3);
        return new WindowFigures(latency.TotalCount, Math.Min(errors, latency.TotalCount),
            Ms(latency.GetValueAtPercentile(50)), Ms(latency.GetValueAtPercentile(95)), Ms(latency.GetValueAtPercentile(99)), Ms(max));
    }

    private IEnumerable<Slot> Live(long timestampTicks)
    {
        var now = timestampTicks / slotTicks;
        return _slots.Where(s => Volatile.Read(ref s.Epoch) > now - Slots && Volatile.Read(ref s.Epoch) <= now);
    }

    private static IntConcurrentHistogram NewHistogram() => new(1, MaxMicros, 2);

    private sealed class Slot
    {
        public readonly IntConcurrentHistogram Latency = NewHistogram();
        public long Epoch = -1;
        public long Errors;
        public long Max;

        public void Renew(long epoch)
        {
            lock (this)
            {
                if (Epoch >= epoch)
                {
                    return; // another request renewed it first (or a late request from an older slot: it lands here)
                }
                Latency.Reset();
                Errors = 0;
                Max = 0;
                Volatile.Write(ref Epoch, epoch);
            }
        }
    }
}

/// <summary>A window's figures in milliseconds.</summary>
public sealed record WindowFigures(long Count, long Errors, double P50Ms, double P95Ms, double P99Ms, double MaxMs);
