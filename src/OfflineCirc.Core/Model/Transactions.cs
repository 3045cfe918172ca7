using OfflineCirc.Core.Formats;

namespace OfflineCirc.Core.Model;

/// <summary>One captured circulation transaction as stored at intake.</summary>
public class OfflineTransaction
{
    public long Id { get; set; }
    private readonly string _key = "";

    /// <summary>The capture's UUID, or the SHA-256 of its canonical content plus workstation.</summary>
    public required string Key
    {
        get => _key;
        init
        {
            _key = value;
            KeyDigest = TransactionKeys.Digest(value);
        }
    }

    /// <summary>The key's fixed-width digest, which the database holds unique (<see cref="TransactionKeys.Digest"/>).</summary>
    public Guid KeyDigest { get; private set; }
    public long SessionId { get; set; }
    public long FileId { get; set; }
    public int LineNumber { get; set; }
    public required string Type { get; set; }
    public required string Workstation { get; set; }
    public string? Org { get; set; }
    /// <summary>timestamp + delta.</summary>
    public DateTimeOffset RecordedAt { get; set; }
    /// <summary>checkout_time, backdate or use_time where given, else RecordedAt.</summary>
    public DateTimeOffset EffectiveAt { get; set; }
    public int DeltaSeconds { get; set; }
    public string? PatronBarcode { get; set; }
    public string? ItemBarcode { get; set; }
    public string? NoncatType { get; set; }
    public int? NoncatCount { get; set; }
    /// <summary>The due date as captured; day-granular, resolved in the circulating org's zone at replay.</summary>
    public string? DueDate { get; set; }
    public DateTimeOffset? CheckoutTime { get; set; }
    public DateTimeOffset? Backdate { get; set; }
    public DateTimeOffset? UseTime { get; set; }
    public int? Count { get; set; }
    public decimal? Amount { get; set; }
    /// <summary>The transaction as received, trimmed; never rewritten.</summary>
    public required string Payload { get; set; }
    /// <summary>The typed payload intake parsed once (jsonb), e.g. a registration's new patron; the replay reads it.</summary>
    public string? Parsed { get; set; }
    public string? OriginalPatronBarcode { get; set; }
    public string? OriginalItemBarcode { get; set; }
    public string? OriginalDueDate { get; set; }
    public bool Edited { get; set; }
    public bool Forced { get; set; }
}

public enum ResultStatus
{
    Applied,
    Warning,
    Failed,
    Skipped,
}

/// <summary>What one run made of one transaction; a transaction has at most one per run (the key) and one current.</summary>
public class TransactionResult
{
    public long TransactionId { get; set; }
    public long SessionId { get; set; }
    public int Run { get; set; }
    public bool IsCurrent { get; set; }
    public ResultStatus Status { get; set; }
    public string[] Codes { get; set; } = [];
    public required string Message { get; set; }
    public long? PatronId { get; set; }
    public long? ItemId { get; set; }
    public long? CirculationId { get; set; }
    public long? HoldId { get; set; }
    public long? TransitId { get; set; }
    public decimal? BilledAmount { get; set; }
    public DateTimeOffset? DueTime { get; set; }
    public DateTimeOffset? CheckinTime { get; set; }
    public string[] FollowUps { get; set; } = [];
    /// <summary>Where the replay placed the transaction: the org it was recorded at (workstation's, named, else the session's).</summary>
    public int? OrgId { get; set; }
    /// <summary>The registered workstation it was recorded at, when the replay found one.</summary>
    public int? WorkstationId { get; set; }
    public DateTimeOffset ProcessedAt { get; set; }
    public required string ProcessedBy { get; set; }
    public bool Resolved { get; set; }
    public string? ResolutionNote { get; set; }
    public string? ResolvedBy { get; set; }
    public DateTimeOffset? ResolvedAt { get; set; }
}

/// <summary>An administrator's correction of a failed transaction.</summary>
public class TransactionEdit
{
    public long Id { get; set; }
    public long TransactionId { get; set; }
    public required string Field { get; set; }
    public string? OldValue { get; set; }
    public string? NewValue { get; set; }
    public required string EditedBy { get; set; }
    public DateTimeOffset EditedAt { get; set; }
}
