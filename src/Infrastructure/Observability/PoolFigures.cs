using System.Diagnostics.Metrics;
using RenderOwl.Application.Common.Abstractions;

namespace RenderOwl.Infrastructure.Observability;

/// <summary>
/// The connection pools' state from Npgsql's own metrics (meter <c>Npgsql</c>): a <see cref="MeterListener"/> reads the
/// observable instruments (connections by state, the maximum) on demand and follows the pending-requests counter, per
/// pool name (<c>primary</c>, <c>replica</c>: <see cref="Persistence.DataSources"/> names them).
/// </summary>
public sealed class PoolFigures : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly Dictionary<string, Figures> _pools = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public PoolFigures()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == "Npgsql" && instrument.Name is "db.client.connection.count" or "db.client.connection.max" or "db.client.connection.pending_requests")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => OnMeasurement(instrument.Name, value, tags));
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => OnMeasurement(instrument.Name, (int)value, tags));
        _listener.Start();
    }

    /// <summary>Every pool Npgsql reports, now.</summary>
    public IReadOnlyDictionary<string, PoolStats> Read()
    {
        lock (_lock)
        {
            foreach (var figures in _pools.Values)
            {
                figures.Busy = figures.Idle = 0; // the observation below gives them anew
            }
            _listener.RecordObservableInstruments();
            return _pools.ToDictionary(p => p.Key, p => new PoolStats(p.Value.Max, p.Value.Busy, p.Value.Idle, p.Value.Waiting), StringComparer.Ordinal);
        }
    }

    private void OnMeasurement(string instrument, int value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        string? pool = null, state = null;
        foreach (var tag in tags)
        {
            switch (tag.Key)
            {
                case "db.client.connection.pool.name" or "pool.name":
                    pool = tag.Value as string;
                    break;
                case "db.client.connection.state" or "state":
                    state = tag.Value as string;
                    break;
            }
        }
        if (pool is null)
        {
            return;
        }
        lock (_lock)
        {
            if (!_pools.TryGetValue(pool, out var figures))
            {
                _pools[pool] = figures = new Figures();
            }
            switch (instrument)
            {
                case "db.client.connection.max":
                    figures.Max = value;
                    break;
                case "db.client.connection.pending_requests":
                    figures.Waiting = Math.Max(0, figures.Waiting + value); // an up-down counter: +1 on wait, -1 when served
                    break;
                case "db.client.connection.count" when state == "idle":
                    figures.Idle = value;
                    break;
                case "db.client.connection.count":
                    figures.Busy = value;
                    break;
            }
        }
    }

    public void Dispose() => _listener.Dispose();

    private sealed class Figures
    {
        public int Max;
        public int Busy;
        public int Idle;
        public int Waiting;
    }
}
