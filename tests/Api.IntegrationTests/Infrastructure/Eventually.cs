namespace RenderOwl.Api.IntegrationTests.Infrastructure;

/// <summary>The one polling loop of the tests: ask until the answer is wanted, or fail with what was last seen.</summary>
public static class Eventually
{
    /// <summary>Calls <paramref name="probe"/> every <paramref name="every"/> (default 100 ms) until <paramref name="done"/> holds; returns that value.</summary>
    public static async Task<T> UntilAsync<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan within, string because, TimeSpan? every = null)
    {
        var deadline = DateTime.UtcNow + within;
        while (true)
        {
            var value = await probe();
            if (done(value))
            {
                return value;
            }
            Assert.True(DateTime.UtcNow < deadline, $"{because} within {within.TotalSeconds:0} s; last seen: {value}");
            await Task.Delay(every ?? TimeSpan.FromMilliseconds(100));
        }
    }

    public static Task UntilAsync(Func<Task<bool>> condition, TimeSpan within, string because, TimeSpan? every = null)
        => UntilAsync(condition, ok => ok, within, because, every);
}
