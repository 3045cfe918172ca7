namespace OfflineCirc.Core.Model;

public enum ItemStatus
{
    Available,
    CheckedOut,
    InTransit,
    OnHoldsShelf,
    Lost,
    Missing,
    LongOverdue,
    ClaimsReturned,
    Damaged,
    Discard,
}

public class BibRecord
{
    /// <summary>The record_id of the import: records keep the catalogue's own number.</summary>
    public long Id { get; set; }
    public required string Title { get; set; }
    public string? Author { get; set; }
}

public class Item
{
    public long Id { get; set; }
    public required string Barcode { get; set; }
    public long RecordId { get; set; }
    public BibRecord? Record { get; set; }
    public int OwningOrgId { get; set; }
    public OrgUnit? OwningOrg { get; set; }
    public string? Location { get; set; }
    public string? CircModifier { get; set; }
    public ItemStatus Status { get; set; }
    public decimal? Price { get; set; }
    public string? AlertMessage { get; set; }
    public bool Holdable { get; set; } = true;
    /// <summary>When the status last changed; null when no one knows (an import that gave no time).</summary>
    public DateTimeOffset? StatusChangedAt { get; set; }
    /// <summary>Session whose replay last changed the status; null when it came from an import.</summary>
    public long? StatusChangeSessionId { get; set; }
}
