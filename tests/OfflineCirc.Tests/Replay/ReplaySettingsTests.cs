using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OfflineCirc.Web.Sessions;

namespace OfflineCirc.Tests.Replay;

/// <summary>The replay's sizes are counts of transactions: a node started with one under 1 stops at once, in words.</summary>
public class ReplaySettingsTests
{
    [Theory]
    [InlineData("Replay:BatchSize", "0")]
    [InlineData("Replay:LinesPerTransaction", "-5")]
    public void A_batch_or_transaction_size_under_one_is_refused_in_words(string key, string value)
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [key] = value }).Build();

        var error = Assert.Throws<InvalidOperationException>(() => SessionsFeature.Add(new ServiceCollection(), config));

        Assert.Equal($"{key} is {value}: it counts transactions, so it must be 1 or more.", error.Message);
    }
}
