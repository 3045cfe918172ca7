namespace OfflineCirc.Core.Model;

public enum HoldStatus
{
    Pending,
    Captured,
    Fulfilled,
    Cancelled,
}

public class Hold
{
    public long Id { get; set; }
    public long PatronId { get; set; }
    public Patron? Patron { get; set; }
    public long? TargetItemId { get; set; }
    public long? TargetRecordId { get; set; }
    public int PickupOrgId { get; set; }
    public DateTimeOffset RequestTime { get; set; }
    public HoldStatus Status { get; set; }
    public bool Frozen { get; set; }
    public DateTimeOffset? CaptureTime { get; set; }
    public DateTimeOffset? ShelfExpiryTime { get; set; }
    public long? CapturedItemId { get; set; }
    public DateTimeOffset? FulfilledTime { get; set; }
}

public class Transit
{
    public long Id { get; set; }
    public long ItemId { get; set; }
    public int FromOrgId { get; set; }
    public int ToOrgId { get; set; }
    public DateTimeOffset SentTime { get; set; }
    public DateTimeOffset? ReceivedTime { get; set; }
    public long? HoldId { get; set; }
    public int? WorkstationId { get; set; }
    public long? OriginSessionId { get; set; }
    public long? OriginTransactionId { get; set; }
}
