namespace RenderOwl.Infrastructure.Persistence;

internal static class ReplicaSql
{
    /// <summary>In recovery (a standby), and its lag in seconds: 0 when everything received is replayed, else the age of the last replayed transaction.</summary>
    public const string Lag = """
        SELECT pg_is_in_recovery(),
               CASE WHEN NOT pg_is_in_recovery() OR pg_last_wal_receive_lsn() IS NOT DISTINCT FROM pg_last_wal_replay_lsn() THEN 0
                    ELSE COALESCE(extract(epoch FROM now() - pg_last_xact_replay_timestamp()), 0) END::float8
        """;
}
