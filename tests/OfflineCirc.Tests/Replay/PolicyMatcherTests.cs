using OfflineCirc.Core.Model;
using OfflineCirc.Core.Replay.Policies;

namespace OfflineCirc.Tests.Replay;

public class PolicyMatcherTests
{
    // Consortium 1 > system 2 > branch 3.
    private static IReadOnlyList<int> Ancestry(int org) => org switch { 3 => [3, 2, 1], 2 => [2, 1], _ => [1] };

    private static CirculationPolicy P(int id, int org, int? profile, string? modifier) =>
        new() { Id = id, OrgUnitId = org, ProfileId = profile, CircModifier = modifier, LoanDuration = id };

    [Fact]
    public void Nearest_org_wins_even_over_a_more_specific_policy_higher_up()
    {
        var matcher = new PolicyMatcher([P(1, 1, 7, "dvd"), P(2, 3, null, null)], Ancestry);
        Assert.Equal(2, matcher.Match(3, 7, "dvd")!.Id);
    }

    [Fact]
    public void Within_an_org_exact_pair_beats_modifier_beats_profile_beats_wildcards()
    {
        var all = new List<CirculationPolicy> { P(1, 2, null, null), P(2, 2, 7, null), P(3, 2, null, "dvd"), P(4, 2, 7, "dvd") };
        Assert.Equal(4, new PolicyMatcher(all, Ancestry).Match(3, 7, "DVD")!.Id);
        all.RemoveAt(3);
        Assert.Equal(3, new PolicyMatcher(all, Ancestry).Match(3, 7, "dvd")!.Id);
        all.RemoveAt(2);
        Assert.Equal(2, new PolicyMatcher(all, Ancestry).Match(3, 7, "dvd")!.Id);
        all.RemoveAt(1);
        Assert.Equal(1, new PolicyMatcher(all, Ancestry).Match(3, 7, "dvd")!.Id);
    }

    [Fact]
    public void A_policy_for_another_profile_or_modifier_never_matches()
    {
        var matcher = new PolicyMatcher([P(1, 3, 8, null), P(2, 3, null, "book"), P(3, 1, null, null)], Ancestry);
        Assert.Equal(3, matcher.Match(3, 7, "dvd")!.Id);
        Assert.Null(new PolicyMatcher([P(1, 3, 8, null)], Ancestry).Match(3, 7, "dvd"));
    }
}
