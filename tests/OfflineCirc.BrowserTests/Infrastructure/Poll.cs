namespace OfflineCirc.BrowserTests.Infrastructure;

public static class Poll
{
    /// <summary>
    /// Asks until the probe answers something (the page reports to the server in the background); a timeout names
    /// <paramref name="what"/> was awaited when given.
    /// </summary>
    public static async Task<T> UntilAsync<T>(Func<Task<T?>> probe, int seconds = 20, string? what = null)
        where T : class
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            if (await probe() is { } found)
            {
                return found;
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException(what ?? $"The condition was not met within {seconds} s.");
            }
            await Task.Delay(200);
        }
    }
}
