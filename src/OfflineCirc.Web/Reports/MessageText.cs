using Microsoft.AspNetCore.Html;
using NodaTime;
using OfflineCirc.Web.Lookup;

namespace OfflineCirc.Web.Reports;

/// <summary>A result's message on a page: its times in the page's format, and a patron it names linked when in reach.</summary>
public static class MessageText
{
    public static IHtmlContent Render(string? message, DateTimeZone zone, IReadOnlyDictionary<long, PatronLink> patrons)
    {
        var html = new HtmlContentBuilder();
        var text = TimeDisplay.InMessage(message, zone);
        var at = 0;
        foreach (System.Text.RegularExpressions.Match m in TransactionQueries.PatronNumber().Matches(text))
        {
            html.Append(text[at..m.Index]);
            var id = long.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            if (patrons.TryGetValue(id, out var link) && link.Href is { } href)
            {
                html.AppendHtml("<a href=\"").Append(href).AppendHtml("\">").Append(m.Value).AppendHtml("</a>");
            }
            else if (patrons.ContainsKey(id))
            {
                html.Append(m.Value + " (at another library)");
            }
            else
            {
                html.Append(m.Value);
            }
            at = m.Index + m.Length;
        }
        html.Append(text[at..]);
        return html;
    }
}
