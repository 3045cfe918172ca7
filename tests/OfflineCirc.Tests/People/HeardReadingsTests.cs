using OfflineCirc.Web.Infrastructure;

namespace OfflineCirc.Tests.People;

/// <summary>The rules every kept reading follows (docs/adr-019, docs/adr-021), on a lifetime short enough to watch.</summary>
public class HeardReadingsTests
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task A_reading_is_read_again_once_past_half_its_life_and_used_until_it_expires()
    {
        var heard = new HeardReadings(Lifetime, 10);
        var shelf = heard.NewShelf<string, int>();
        heard.SetListening(true);
        shelf.Keep("a", 1, heard.Generation);

        Assert.True(shelf.TryGet("a", out var value, out var renew));
        Assert.Equal((1, false), (value, renew));

        await Task.Delay(Lifetime / 2 + TimeSpan.FromMilliseconds(100));
        // The first caller past half its life is told to read it again; the others are not, and all still use it.
        Assert.True(shelf.TryGet("a", out _, out var first));
        Assert.True(shelf.TryGet("a", out _, out var second));
        Assert.True(shelf.TryGet("a", out _));
        Assert.Equal((true, false), (first, second));

        // Read again, it starts a new life; left alone, it expires.
        shelf.Keep("a", 2, heard.Generation);
        Assert.True(shelf.TryGet("a", out value, out renew));
        Assert.Equal((2, false), (value, renew));
        await Task.Delay(Lifetime + TimeSpan.FromMilliseconds(100));
        Assert.False(shelf.TryGet("a", out _, out _));
    }

    [Fact]
    public void Nothing_read_before_a_change_is_kept_and_nothing_is_kept_without_listening()
    {
        var heard = new HeardReadings(TimeSpan.FromMinutes(1), 10);
        var shelf = heard.NewShelf<string, int>();
        var other = heard.NewShelf<string, string>();
        shelf.Keep("a", 1, heard.Generation);
        Assert.False(shelf.TryGet("a", out _));

        heard.SetListening(true);
        var before = heard.Generation;
        other.Keep("b", "kept", heard.Generation);
        heard.Changed();
        shelf.Keep("a", 1, before);
        Assert.False(shelf.TryGet("a", out _));
        Assert.False(other.TryGet("b", out _));

        shelf.Keep("a", 1, heard.Generation);
        Assert.True(shelf.TryGet("a", out _));
        heard.SetListening(false);
        Assert.False(shelf.TryGet("a", out _));
    }
}
