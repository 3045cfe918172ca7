using OfflineCirc.Core.Model;

namespace OfflineCirc.Core.Replay.Policies;

/// <summary>
/// Finds the circulation policy for (circulating org, patron profile, circulation modifier); most specific wins:
/// <list type="number">
/// <item>the nearest org unit first: the circulating org, then its parent, and so on up to the consortium;</item>
/// <item>within one org unit: exact profile and exact modifier, then exact modifier with any profile, then exact
/// profile with any modifier, then any profile and any modifier (what the item is decides a loan more often than
/// who borrows it).</item>
/// </list>
/// A policy whose profile or modifier is set but differs never matches. Modifiers compare case-insensitively.
/// </summary>
public sealed class PolicyMatcher
{
    private readonly Dictionary<int, List<CirculationPolicy>> _byOrg;
    private readonly Func<int, IReadOnlyList<int>> _ancestry;

    /// <param name="policies">All policies.</param>
    /// <param name="ancestry">An org unit's ancestry, itself first, then its parent, up to the root.</param>
    public PolicyMatcher(IEnumerable<CirculationPolicy> policies, Func<int, IReadOnlyList<int>> ancestry)
    {
        _byOrg = policies.GroupBy(p => p.OrgUnitId).ToDictionary(g => g.Key, g => g.ToList());
        _ancestry = ancestry;
    }

    public CirculationPolicy? Match(int orgId, int? profileId, string? circModifier)
    {
        foreach (var org in _ancestry(orgId))
        {
            if (!_byOrg.TryGetValue(org, out var candidates))
            {
                continue;
            }
            CirculationPolicy? best = null;
            var bestRank = -1;
            foreach (var p in candidates)
            {
                var rank = Rank(p, profileId, circModifier);
                if (rank > bestRank)
                {
                    best = p;
                    bestRank = rank;
                }
            }
            if (best is not null)
            {
                return best;
            }
        }
        return null;
    }

    /// <summary>-1 when the policy does not apply; otherwise higher is more specific.</summary>
    public static int Rank(CirculationPolicy p, int? profileId, string? circModifier)
    {
        var profileExact = p.ProfileId is not null;
        if (profileExact && p.ProfileId != profileId)
        {
            return -1;
        }
        var modifierExact = !string.IsNullOrEmpty(p.CircModifier);
        if (modifierExact && !string.Equals(p.CircModifier, circModifier, StringComparison.OrdinalIgnoreCase))
        {
            return -1;
        }
        return (modifierExact ? 2 : 0) + (profileExact ? 1 : 0);
    }
}
