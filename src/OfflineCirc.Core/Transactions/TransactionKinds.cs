using OfflineCirc.Core.Transactions.Kinds;

namespace OfflineCirc.Core.Transactions;

/// <summary>
/// Every transaction type. This list drives the validator lookup at intake, the replay dispatch and id reservation,
/// the database check constraint on the type column, the exceptions filter and the type list the capture page gets.
/// </summary>
public static class TransactionKinds
{
    public static readonly IReadOnlyList<TransactionKind> All =
        [new Checkout(), new Renewal(), new Checkin(), new InHouseUse(), new Registration(), new Payment()];

    private static readonly Dictionary<string, TransactionKind> ByName = All.ToDictionary(k => k.Name, StringComparer.Ordinal);

    /// <summary>The kind of a type code, or null when no kind has that name.</summary>
    public static TransactionKind? Find(string? name) => name is null ? null : ByName.GetValueOrDefault(name);

    /// <summary>The type codes quoted for SQL, e.g. for the check constraint on offline_transactions.type.</summary>
    public static string CheckList => string.Join(",", All.Select(k => $"'{k.Name}'"));

    /// <summary>The types a run replays before all others.</summary>
    public static string[] ReplayedFirst { get; } = All.Where(k => k.ReplaysFirst).Select(k => k.Name).ToArray();

    /// <summary>The types whose lines carry a parsed payload.</summary>
    public static string[] WithParsedPayload { get; } = All.Where(k => k.HasParsedPayload).Select(k => k.Name).ToArray();
}
