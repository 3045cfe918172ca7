using OfflineCirc.Core.Model;
using OfflineCirc.Core.Transactions.Kinds;

namespace OfflineCirc.Core.Replay;

// The in-memory copies a batch works on. New rows get ids reserved from the tables' sequences, so later
// transactions of the batch (and results) can point at them before anything is written.

/// <summary>A captured transaction as the replay reads it.</summary>
internal sealed class TxRow
{
    public long Id;
    public long FileId;
    public int LineNumber;
    public required string Type;
    public required string Workstation;
    public string? Org;
    public DateTimeOffset RecordedAt;
    public DateTimeOffset EffectiveAt;
    public string? PatronBarcode;
    public string? ItemBarcode;
    public string? NoncatType;
    public int? NoncatCount;
    public string? DueDate;
    public int? Count;
    public decimal? Amount;
    /// <summary>A registration's new patron, as intake parsed it (null when unreadable).</summary>
    public RegisteredPatron? NewPatron;
    public bool Forced;
    public bool HasCurrentResult;
}

internal sealed class PatronRow
{
    public long Id;
    public int ProfileId;
    public int HomeOrgId;
    public bool Active;
    public bool Barred;
    public DateOnly? ExpireDate;
    public int BlockCount;
    public decimal Balance;
    public int OpenLoans;
    /// <summary>
    /// Read without its blocks, balance and open loans: a patron only the batch's loans name, whom no rule asks whether
    /// they may borrow (<see cref="Rules.Loans.PatronWarnings"/> refuses such a row).
    /// </summary>
    public bool WithoutFigures;
    /// <summary>Open (unpaid, not voided) billings, oldest first; null when this batch did not load them.</summary>
    public List<BillingRow>? OpenBillings;
}

internal sealed class CardRow
{
    public long Id;
    public required string Barcode;
    public long PatronId;
    public bool Active;
    public bool IsNew;
}

internal sealed class ItemRow
{
    private long _statusChangedAt = Packed.NoTime;
    private long _statusChangeSessionId = Packed.NoLong;

    public long Id;
    public required string Barcode;
    public long RecordId;
    public int OwningOrgId;
    public string? CircModifier;
    public ItemStatus Status;
    public string? AlertMessage;
    public bool Holdable;
    /// <summary>Null when unknown: such an item has no newer activity.</summary>
    public DateTimeOffset? StatusChangedAt { get => Packed.TimeOrNull(_statusChangedAt); set => _statusChangedAt = Packed.Ticks(value); }
    public long? StatusChangeSessionId { get => Packed.Long(_statusChangeSessionId); set => _statusChangeSessionId = Packed.Of(value); }
    public bool Dirty;
}

/// <summary>
/// A loan as a run holds it. A run that is one transaction holds every loan it read or made to its end (457,000 over the
/// benchmark's million lines), so its times are kept as UTC ticks and its optional ids and times without the nullable
/// wrapper (<see cref="Packed"/>): 144 bytes a loan instead of 224 (docs/adr-018, finding 85).
/// </summary>
internal sealed class CirculationRow
{
    private long _checkoutTime;
    private long _dueTime;
    private long _checkinTime = Packed.NoTime;
    private int _checkoutWorkstationId = Packed.NoInt;
    private int _checkinOrgId = Packed.NoInt;
    private int _checkinWorkstationId = Packed.NoInt;
    private int _policyId = Packed.NoInt;
    private long _originSessionId = Packed.NoLong;
    private long _originTransactionId = Packed.NoLong;
    private long _closeSessionId = Packed.NoLong;
    private long _closeTransactionId = Packed.NoLong;

    public long Id;
    public long PatronId;
    public long ItemId;
    public DateTimeOffset CheckoutTime { get => Packed.Time(_checkoutTime); set => _checkoutTime = value.UtcTicks; }
    public DateTimeOffset DueTime { get => Packed.Time(_dueTime); set => _dueTime = value.UtcTicks; }
    public int CheckoutOrgId;
    public int? CheckoutWorkstationId { get => Packed.Int(_checkoutWorkstationId); set => _checkoutWorkstationId = Packed.Of(value); }
    public int RenewalCount;
    public DateTimeOffset? CheckinTime { get => Packed.TimeOrNull(_checkinTime); set => _checkinTime = Packed.Ticks(value); }
    public int? CheckinOrgId { get => Packed.Int(_checkinOrgId); set => _checkinOrgId = Packed.Of(value); }
    public int? CheckinWorkstationId { get => Packed.Int(_checkinWorkstationId); set => _checkinWorkstationId = Packed.Of(value); }
    public string? StopFines;
    public int? PolicyId { get => Packed.Int(_policyId); set => _policyId = Packed.Of(value); }
    public long? OriginSessionId { get => Packed.Long(_originSessionId); set => _originSessionId = Packed.Of(value); }
    public long? OriginTransactionId { get => Packed.Long(_originTransactionId); set => _originTransactionId = Packed.Of(value); }
    public long? CloseSessionId { get => Packed.Long(_closeSessionId); set => _closeSessionId = Packed.Of(value); }
    public long? CloseTransactionId { get => Packed.Long(_closeTransactionId); set => _closeTransactionId = Packed.Of(value); }
    public string? ProcessedBy;
    public bool IsNew;
    public bool Dirty;
}

internal sealed class HoldRow
{
    public long Id;
    public long PatronId;
    public long? TargetItemId;
    public long? TargetRecordId;
    public int PickupOrgId;
    public DateTimeOffset RequestTime;
    public HoldStatus Status;
    public bool Frozen;
    public DateTimeOffset? CaptureTime;
    public DateTimeOffset? ShelfExpiryTime;
    public long? CapturedItemId;
    public DateTimeOffset? FulfilledTime;
    public bool Dirty;
}

internal sealed class TransitRow
{
    private long _sentTime;
    private long _receivedTime = Packed.NoTime;
    private long _holdId = Packed.NoLong;
    private int _workstationId = Packed.NoInt;
    private long _originSessionId = Packed.NoLong;
    private long _originTransactionId = Packed.NoLong;

    public long Id;
    public long ItemId;
    public int FromOrgId;
    public int ToOrgId;
    public DateTimeOffset SentTime { get => Packed.Time(_sentTime); set => _sentTime = value.UtcTicks; }
    public DateTimeOffset? ReceivedTime { get => Packed.TimeOrNull(_receivedTime); set => _receivedTime = Packed.Ticks(value); }
    public long? HoldId { get => Packed.Long(_holdId); set => _holdId = Packed.Of(value); }
    public int? WorkstationId { get => Packed.Int(_workstationId); set => _workstationId = Packed.Of(value); }
    public long? OriginSessionId { get => Packed.Long(_originSessionId); set => _originSessionId = Packed.Of(value); }
    public long? OriginTransactionId { get => Packed.Long(_originTransactionId); set => _originTransactionId = Packed.Of(value); }
    public bool IsNew;
    public bool Dirty;
}

internal sealed class BillingRow
{
    public long Id;
    public long PatronId;
    public long? CirculationId;
    public decimal Amount;
    public required string BillingType;
    public DateTimeOffset BilledAt;
    public bool Voided;
    public DateTimeOffset? VoidedAt;
    public decimal AmountPaid;
    public long? OriginSessionId;
    public long? OriginTransactionId;
    public bool IsNew;
    public bool Dirty;
}

/// <summary>
/// How the rows a run holds keep times and optional values: a time as its UTC ticks (8 bytes, where a
/// <see cref="DateTimeOffset"/> takes 16 and a nullable one 24), and a missing time or id as a value no row can have, where
/// a nullable number takes twice its own size. Times come back at offset zero, the instant they were.
/// </summary>
internal static class Packed
{
    /// <summary>No time: ticks are never negative.</summary>
    public const long NoTime = long.MinValue;
    /// <summary>No id: ids are positive.</summary>
    public const long NoLong = long.MinValue;
    public const int NoInt = int.MinValue;

    public static DateTimeOffset Time(long ticks) => new(ticks, TimeSpan.Zero);

    public static DateTimeOffset? TimeOrNull(long ticks) => ticks == NoTime ? null : new DateTimeOffset(ticks, TimeSpan.Zero);

    public static long Ticks(DateTimeOffset? time) => time?.UtcTicks ?? NoTime;

    public static long? Long(long value) => value == NoLong ? null : value;

    public static long Of(long? value) => value ?? NoLong;

    public static int? Int(int value) => value == NoInt ? null : value;

    public static int Of(int? value) => value ?? NoInt;
}

/// <summary>What one transaction came to; becomes a transaction_results row.</summary>
internal sealed class Outcome
{
    public ResultStatus Status = ResultStatus.Applied;
    public List<string> Codes { get; } = [];
    public List<string> FollowUps { get; } = [];
    public string Message = "";
    public long? PatronId;
    public long? ItemId;
    public long? CirculationId;
    public long? HoldId;
    public long? TransitId;
    public decimal? BilledAmount;
    public DateTimeOffset? DueTime;
    public DateTimeOffset? CheckinTime;

    public void Warn(string code)
    {
        if (!Codes.Contains(code))
        {
            Codes.Add(code);
        }
    }

    public void FollowUp(string kind)
    {
        if (!FollowUps.Contains(kind))
        {
            FollowUps.Add(kind);
        }
    }

    public Outcome Fail(string message, params string[] codes)
    {
        Status = ResultStatus.Failed;
        Codes.AddRange(codes.Where(c => !Codes.Contains(c)));
        Message = message;
        return this;
    }

    public Outcome Skip(string message, string code)
    {
        Status = ResultStatus.Skipped;
        Warn(code);
        Message = message;
        return this;
    }

    /// <summary>Applied, or Warning when any code was raised along the way.</summary>
    public Outcome Done(string message)
    {
        Status = Codes.Count > 0 ? ResultStatus.Warning : ResultStatus.Applied;
        Message = Codes.Count == 0
            ? message
            : message + " " + string.Join(" ", Codes.Select(ResultCodes.Describe));
        return this;
    }
}
