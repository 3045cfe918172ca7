namespace OfflineCirc.Web.Demo;

/// <summary>
/// A tiny SplitMix64 generator seeded by (seed, stream, index): every generated value is a pure function of where it
/// is used, so a patron's or an item's facts can be recomputed anywhere without keeping them in memory.
/// </summary>
public struct DemoRandom(int seed, int stream, long index)
{
    private ulong _state = Mix(((ulong)(uint)seed << 32) ^ ((ulong)(uint)stream * 0x9E3779B97F4A7C15UL) ^ (ulong)index);

    public ulong Next()
    {
        _state += 0x9E3779B97F4A7C15UL;
        return Mix(_state);
    }

    /// <summary>0 &lt;= value &lt; <paramref name="max"/>.</summary>
    public int Int(int max) => (int)(Next() % (ulong)max);

    public int Between(int min, int max) => min + Int(max - min + 1);

    public bool Chance(double probability) => (Next() >> 11) * (1.0 / (1UL << 53)) < probability;

    public T Pick<T>(IReadOnlyList<T> list) => list[Int(list.Count)];

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
