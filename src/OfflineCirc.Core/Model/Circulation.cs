namespace OfflineCirc.Core.Model;

public enum DurationUnit
{
    Days,
    Hours,
}

public class CirculationPolicy
{
    public int Id { get; set; }
    public int OrgUnitId { get; set; }
    public OrgUnit? OrgUnit { get; set; }
    public int? ProfileId { get; set; }
    public PatronProfile? Profile { get; set; }
    public string? CircModifier { get; set; }
    public int LoanDuration { get; set; }
    public DurationUnit LoanDurationUnit { get; set; }
    public int MaxRenewals { get; set; }
    public decimal FinePerInterval { get; set; }
    public int FineInterval { get; set; } = 1;
    public DurationUnit FineIntervalUnit { get; set; }
    public decimal MaxFine { get; set; }
    public int GracePeriod { get; set; }
    public DurationUnit GracePeriodUnit { get; set; }
}

public class Circulation
{
    public long Id { get; set; }
    public long PatronId { get; set; }
    public Patron? Patron { get; set; }
    public long ItemId { get; set; }
    public Item? Item { get; set; }
    public DateTimeOffset CheckoutTime { get; set; }
    public DateTimeOffset DueTime { get; set; }
    public int CheckoutOrgId { get; set; }
    public int? CheckoutWorkstationId { get; set; }
    public int RenewalCount { get; set; }
    public DateTimeOffset? CheckinTime { get; set; }
    public int? CheckinOrgId { get; set; }
    public int? CheckinWorkstationId { get; set; }
    public string? StopFines { get; set; }
    /// <summary>Policy that set the due time and fines; null for loans imported from outside.</summary>
    public int? PolicyId { get; set; }
    public long? OriginSessionId { get; set; }
    public long? OriginTransactionId { get; set; }
    public long? CloseSessionId { get; set; }
    public long? CloseTransactionId { get; set; }
    /// <summary>Who processed the session that recorded the loan (not the desk that made it).</summary>
    public string? ProcessedBy { get; set; }
}

public class NoncatType
{
    public int Id { get; set; }
    public required string Name { get; set; }
    public int OwningOrgId { get; set; }
    public OrgUnit? OwningOrg { get; set; }
    public int LoanDuration { get; set; }
    public DurationUnit LoanDurationUnit { get; set; }
}

public class NoncatCirculation
{
    public long Id { get; set; }
    public long PatronId { get; set; }
    public int NoncatTypeId { get; set; }
    public int Count { get; set; }
    public DateTimeOffset CheckoutTime { get; set; }
    public DateTimeOffset DueTime { get; set; }
    public int OrgId { get; set; }
    public int? WorkstationId { get; set; }
    public long? OriginSessionId { get; set; }
    public long? OriginTransactionId { get; set; }
}

public class InHouseUse
{
    public long Id { get; set; }
    public long ItemId { get; set; }
    public int Count { get; set; }
    public DateTimeOffset UseTime { get; set; }
    public int OrgId { get; set; }
    public int? WorkstationId { get; set; }
    public long? OriginSessionId { get; set; }
    public long? OriginTransactionId { get; set; }
}
