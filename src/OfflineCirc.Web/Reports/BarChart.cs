using System.Globalization;

namespace OfflineCirc.Web.Reports;

/// <summary>A horizontal bar of the chart, in SVG user units.</summary>
public sealed record Bar(string Label, long Value, string Hint, int Y, int Width);

/// <summary>
/// Geometry of a server-rendered horizontal bar chart; the page draws it as SVG with text labels, so it reads without
/// script, prints, and says the same to a screen reader through its title and description.
/// </summary>
public sealed class BarChart
{
    public const int LabelWidth = 260;
    public const int BarArea = 420;
    public const int RowHeight = 24;
    public const int BarHeight = 16;
    public const int Gap = 60;

    public BarChart(string title, IEnumerable<(string Label, long Value, string Hint)> values)
    {
        Title = title;
        var list = values.ToList();
        var max = list.Count == 0 ? 1 : Math.Max(1, list.Max(v => v.Value));
        Bars = list.Select((v, i) => new Bar(v.Label, v.Value, v.Hint, i * RowHeight,
            v.Value <= 0 ? 0 : Math.Max(2, (int)Math.Round(BarArea * (double)v.Value / max)))).ToList();
        Description = Bars.Count == 0
            ? "No codes."
            : string.Join("; ", Bars.Select(b => string.Create(CultureInfo.InvariantCulture, $"{b.Label}: {b.Value}"))) + ".";
    }

    public string Title { get; }

    public string Description { get; }

    public IReadOnlyList<Bar> Bars { get; }

    public int Width => LabelWidth + BarArea + Gap;

    public int Height => Math.Max(RowHeight, Bars.Count * RowHeight);
}
