namespace Sustain.Core.Funding;

/// <summary>Which of a project's funding files name a channel.</summary>
[Flags]
public enum FundingSources
{
    None = 0,
    FundingYml = 1,
    FundingJson = 2,
}

/// <summary>A funding channel and the files that name it.</summary>
public sealed record SourcedFundingChannel(FundingChannel Channel, FundingSources Sources);

/// <summary>
/// Every way to fund a project, from its FUNDING.yml and its funding.json together, each channel
/// once: <c>patreon: zulip</c> and a funding.json address <c>https://patreon.com/zulip</c> are one
/// channel named by both files. FUNDING.yml's channels come first, in file order.
/// </summary>
public sealed class FundingChannels
{
    private FundingChannels(IReadOnlyList<SourcedFundingChannel> all) => All = all;

    public IReadOnlyList<SourcedFundingChannel> All { get; }

    /// <summary>True when neither file names any channel: the "no funding channel" signal.</summary>
    public bool IsEmpty => All.Count == 0;

    public static FundingChannels From(FundingYml? yml, FundingJson? json)
    {
        var all = new List<SourcedFundingChannel>();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);

        void Add(FundingChannel channel, FundingSources source)
        {
            var key = FundingPlatforms.SamenessKey(channel);
            if (index.TryGetValue(key, out var at))
            {
                all[at] = all[at] with { Sources = all[at].Sources | source };
                return;
            }

            index.Add(key, all.Count);
            all.Add(new SourcedFundingChannel(channel, source));
        }

        foreach (var channel in yml?.Channels ?? [])
            Add(channel, FundingSources.FundingYml);
        foreach (var channel in json?.Channels ?? [])
            Add(FromManifest(channel), FundingSources.FundingJson);
        return new FundingChannels(all);
    }

    /// <summary>
    /// A funding.json channel as a <see cref="FundingChannel"/>: an address on a known platform becomes
    /// that platform's channel, any other web address a custom one, and anything else (bank details,
    /// an e-mail address, no address at all) a direct channel known by its address or guid.
    /// </summary>
    public static FundingChannel FromManifest(PaymentChannel channel)
    {
        if (channel.Address is { } address && FundingPlatforms.TryWebAddress(address, out var url, out _))
        {
            if (FundingPlatforms.TryRecognise(url, out var platform, out var handle) && FundingPlatforms.TryChannel(platform, handle, out var known, out _))
                return known;
            return new FundingChannel(FundingPlatform.Custom, address.Trim(), url);
        }

        return new FundingChannel(FundingPlatform.Direct, channel.Address?.Trim() ?? channel.Guid, null);
    }
}
