using OfflineCirc.Core.Model;

namespace OfflineCirc.Web.Demo;

/// <summary>
/// Barcodes every demo seed creates with the same state, whatever its size: the ones README lists for trying the capture
/// page and the portal. The first patrons and items of the generator are fixed situations (DemoPeople, DemoCollection).
/// </summary>
public static class DemoBarcodes
{
    public const long GoodPatronNumber = 1;

    /// <summary>Active, not barred, not expired, nothing owed.</summary>
    public static string GoodPatron => Barcodes.Patron(GoodPatronNumber);

    public static string BarredPatron => Barcodes.Patron(2);

    public static string ExpiredPatron => Barcodes.Patron(3);

    /// <summary>A book on the shelf with no holds on it.</summary>
    public static string AvailableItem => Barcodes.Item(DemoCollection.ItemWithStatus(ItemStatus.Available));

    /// <summary>A book on loan (an open circulation from before the outage).</summary>
    public static string CheckedOutItem => Barcodes.Item(DemoCollection.ItemWithStatus(ItemStatus.CheckedOut));

    public static string LostItem => Barcodes.Item(DemoCollection.ItemWithStatus(ItemStatus.Lost));
}
