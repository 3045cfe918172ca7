using System.Net;
using System.Text.RegularExpressions;

namespace OfflineCirc.Tests.Reports;

/// <summary>Where a page's form posts, read from its HTML as a browser would, so a test never composes a handler address.</summary>
public static partial class PageForms
{
    /// <summary>The action of the first form whose action names <paramref name="handler"/>.</summary>
    public static string Action(string html, string handler)
    {
        foreach (Match m in ActionPattern().Matches(html))
        {
            var action = WebUtility.HtmlDecode(m.Groups[1].Value);
            if (action.Contains("handler=" + handler, StringComparison.Ordinal))
            {
                return action;
            }
        }
        throw new InvalidOperationException($"The page has no form for the {handler} handler.");
    }

    [GeneratedRegex("<form[^>]* action=\"([^\"]+)\"")]
    private static partial Regex ActionPattern();
}
