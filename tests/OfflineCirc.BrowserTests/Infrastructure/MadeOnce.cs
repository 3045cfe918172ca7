namespace OfflineCirc.BrowserTests.Infrastructure;

/// <summary>Things tests only look at (never change), made once per fixture however many tests ask for them.</summary>
public sealed class MadeOnce
{
    private readonly Dictionary<string, Task<object>> _made = [];

    public async Task<T> GetAsync<T>(string key, Func<Task<T>> create)
        where T : class
    {
        Task<object> made;
        lock (_made)
        {
            if (!_made.TryGetValue(key, out made!))
            {
                made = Make();
                _made[key] = made;
            }
        }
        return (T)await made;

        async Task<object> Make() => await create();
    }
}
