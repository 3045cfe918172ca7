namespace OfflineCirc.Core.Model;

public class Billing
{
    public long Id { get; set; }
    public long PatronId { get; set; }
    public long? CirculationId { get; set; }
    public decimal Amount { get; set; }
    public required string BillingType { get; set; }
    public DateTimeOffset BilledAt { get; set; }
    public bool Voided { get; set; }
    public DateTimeOffset? VoidedAt { get; set; }
    /// <summary>How much of this bill payments have covered (oldest bills are paid first).</summary>
    public decimal AmountPaid { get; set; }
    public long? OriginSessionId { get; set; }
    public long? OriginTransactionId { get; set; }
}

public class Payment
{
    public long Id { get; set; }
    public long PatronId { get; set; }
    public decimal Amount { get; set; }
    public DateTimeOffset PaidAt { get; set; }
    public int? OrgId { get; set; }
    public int? WorkstationId { get; set; }
    public long? OriginSessionId { get; set; }
    public long? OriginTransactionId { get; set; }
}
