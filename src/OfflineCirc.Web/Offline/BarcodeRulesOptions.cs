namespace OfflineCirc.Web.Offline;

/// <summary>The barcode shapes the capture page checks before it accepts a scan (Barcodes:Patron, Barcodes:Item).</summary>
public class BarcodeRulesOptions
{
    public BarcodeRule Patron { get; set; } = new() { Pattern = "^2\\d{13}$", CheckDigit = "luhn", Description = "14 digits starting with 2, Luhn check digit" };
    public BarcodeRule Item { get; set; } = new() { Pattern = "^3\\d{13}$", CheckDigit = "luhn", Description = "14 digits starting with 3, Luhn check digit" };
}

public class BarcodeRule
{
    public string Pattern { get; set; } = ".+";
    public string CheckDigit { get; set; } = "none";
    public string Description { get; set; } = "";
}
