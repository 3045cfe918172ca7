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
    public long Id;
    public required string Barcode;
    public long RecordId;
    public int OwningOrgId;
    public string? CircModifier;
    public ItemStatus Status;
    public string? AlertMessage;
    public bool Holdable;
    /// <summary>Null when unknown: such an item has no newer activity.</summary>
    public DateTimeOffset? StatusChangedAt;
    public long? StatusChangeSessionId;
    public bool Dirty;
}

internal sealed class CirculationRow
{
    public long Id;
    public long PatronId;
    public long ItemId;
    public DateTimeOffset CheckoutTime;
    public DateTimeOffset DueTime;
    public int CheckoutOrgId;
    public int? CheckoutWorkstationId;
    public int RenewalCount;
    public DateTimeOffset? CheckinTime;
    public int? CheckinOrgId;
    public int? CheckinWorkstationId;
    public string? StopFines;
    public int? PolicyId;
    public long? OriginSessionId;
    public long? OriginTransactionId;
    public long? CloseSessionId;
    public long? CloseTransactionId;
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
    public long Id;
    public long ItemId;
    public int FromOrgId;
    public int ToOrgId;
    public DateTimeOffset SentTime;
    public DateTimeOffset? ReceivedTime;
    public long? HoldId;
    public int? WorkstationId;
    public long? OriginSessionId;
    public long? OriginTransactionId;
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
