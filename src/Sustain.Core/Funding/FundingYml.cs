using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace Sustain.Core.Funding;

/// <summary>
/// A repository's <c>.github/FUNDING.yml</c>, as GitHub reads it for the Sponsor button: one key per
/// platform with a name (or, for <c>github</c> and <c>custom</c>, up to four in a list). Empty keys,
/// left from GitHub's template, are no channel. Keys GitHub does not document are kept in
/// <see cref="UnknownKeys"/> with a warning, never an error.
/// </summary>
public sealed class FundingYml
{
    /// <summary>GitHub's template with every key filled is under 1 KiB; anything near this limit is not a FUNDING.yml.</summary>
    public const int MaxChars = 64 * 1024;

    /// <summary>How many names GitHub shows for <c>github</c> and <c>custom</c>; every other platform takes one.</summary>
    public const int MaxListed = 4;

    // Platforms GitHub once listed and has since dropped; their keys still fill old templates.
    private static readonly HashSet<string> RetiredKeys = new(StringComparer.Ordinal) { "otechie" };

    public required IReadOnlyList<FundingChannel> Channels { get; init; }

    /// <summary>Keys GitHub does not document, with their values as written, in file order.</summary>
    public required IReadOnlyDictionary<string, IReadOnlyList<string>> UnknownKeys { get; init; }

    public required IReadOnlyList<FundingWarning> Warnings { get; init; }

    /// <summary>Reads FUNDING.yml text. Throws <see cref="FundingFormatException"/> (with line and column) for text that is not YAML or not a mapping, and nothing else.</summary>
    public static FundingYml Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length > MaxChars)
            throw new FundingFormatException(string.Empty, $"FUNDING.yml is {text.Length:N0} characters; at most {MaxChars:N0} are read");

        var stream = new YamlStream();
        var parser = new GuardedParser(new Parser(new StringReader(text)));
        try
        {
            stream.Load(parser);
        }
        catch (YamlException e)
        {
            throw new FundingFormatException(At(e.Start), $"not valid YAML: {Describe(e)}", e);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or IndexOutOfRangeException or NullReferenceException or FormatException)
        {
            // YamlDotNet's scanner throws bare exceptions on some malformed input (aaubry/YamlDotNet#541,
            // and an unclosed flow list here); what it last read is the nearest place to point at.
            throw new FundingFormatException(At(parser.Reached), "not valid YAML past this point (an unclosed bracket or quote?)", e);
        }

        var reading = new Reading();
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { } empty && IsEmpty(empty))
            return reading.Finish();
        if (stream.Documents.Count > 1)
            reading.Warn(At(stream.Documents[1].RootNode.Start), "a second YAML document (after ---) is ignored; GitHub reads only the first");

        var root = stream.Documents[0].RootNode;
        if (root is not YamlMappingNode mapping)
            throw new FundingFormatException(At(root.Start), $"FUNDING.yml must map platform keys to names (github: octocat); this file is {KindOf(root)}");

        foreach (var (keyNode, value) in mapping.Children)
            reading.Entry(keyNode, value);
        return reading.Finish();
    }

    private sealed class Reading
    {
        private readonly List<FundingChannel> channels = [];
        private readonly Dictionary<string, IReadOnlyList<string>> unknown = new(StringComparer.Ordinal);
        private readonly List<FundingWarning> warnings = [];
        private readonly HashSet<FundingPlatform> seen = [];

        public void Warn(string location, string message) => warnings.Add(new FundingWarning(location, message));

        public FundingYml Finish() => new() { Channels = channels, UnknownKeys = unknown, Warnings = warnings };

        public void Entry(YamlNode keyNode, YamlNode value)
        {
            if (keyNode is not YamlScalarNode { Value: { } key })
            {
                Warn(At(keyNode.Start), $"a key that is {KindOf(keyNode)} is ignored; keys are platform names such as github");
                return;
            }

            var values = Values(key, value);
            if (!FundingPlatforms.TryFromKey(key.ToLowerInvariant(), out var platform))
            {
                if (!unknown.TryAdd(key, values.Select(v => v.Text).ToList()))
                    Warn(At(keyNode.Start), $"'{key}' appears twice; the first is kept");
                Warn(At(keyNode.Start), RetiredKeys.Contains(key.ToLowerInvariant())
                    ? $"'{key}' is a platform GitHub no longer lists; kept, but not read as a funding channel"
                    : $"'{key}' is not a platform GitHub documents; kept, but not read as a funding channel");
                return;
            }

            var documented = FundingPlatforms.Key(platform)!;
            if (key != documented)
                Warn(At(keyNode.Start), $"'{key}' is read as '{documented}', the key GitHub documents");
            if (!seen.Add(platform))
                Warn(At(keyNode.Start), $"'{documented}' appears more than once; every value is read");

            var most = platform is FundingPlatform.GitHubSponsors or FundingPlatform.Custom ? MaxListed : 1;
            if (values.Count > most)
            {
                Warn(At(value.Start), most == 1
                    ? $"{documented} takes one name, and GitHub shows only one; all {values.Count} are read"
                    : $"{documented} takes up to {most}, and GitHub shows only {most}; all {values.Count} are read");
            }

            foreach (var (text, start) in values)
                Channel(platform, documented, text, start);
        }

        private void Channel(FundingPlatform platform, string key, string text, Mark start)
        {
            if (FundingPlatforms.TryChannel(platform, text, out var channel, out var problem))
            {
                channels.Add(channel);
                return;
            }

            // A page address where a name belongs is a common slip; the name is in the address.
            if (platform != FundingPlatform.Custom
                && FundingPlatforms.TryWebAddress(text, out var page, out _)
                && FundingPlatforms.TryRecognise(page, out var recognised, out var handle)
                && (recognised == platform || (recognised == FundingPlatform.LfxCrowdfunding && platform == FundingPlatform.CommunityBridge))
                && FundingPlatforms.TryChannel(platform, handle, out channel, out _))
            {
                channels.Add(channel);
                Warn(At(start), $"{key} takes a name, not a web address; '{text}' is read as '{handle}'");
                return;
            }

            Warn(At(start), $"{key}: {problem}; no channel is read from it");
        }

        private List<(string Text, Mark Start)> Values(string key, YamlNode value)
        {
            var values = new List<(string, Mark)>();
            switch (value)
            {
                case YamlScalarNode scalar:
                    if (!IsEmpty(scalar))
                        values.Add((scalar.Value!, scalar.Start));
                    break;
                case YamlSequenceNode sequence:
                    foreach (var item in sequence.Children)
                    {
                        if (item is YamlScalarNode itemScalar)
                        {
                            if (!IsEmpty(itemScalar))
                                values.Add((itemScalar.Value!, itemScalar.Start));
                        }
                        else
                        {
                            Warn(At(item.Start), $"{key}: an item that is {KindOf(item)} is ignored; items are names or links");
                        }
                    }

                    break;
                default:
                    Warn(At(value.Start), $"{key}: a value that is {KindOf(value)} is ignored; a value is a name or a list of names");
                    break;
            }

            return values;
        }
    }

    /// <summary>
    /// The parser, remembering where it got to (for errors that come without a place) and stopping
    /// after more events than a file of <see cref="MaxChars"/> can hold, so a scanner that never
    /// finishes on bad input cannot hang the reader.
    /// </summary>
    private sealed class GuardedParser(IParser inner) : IParser
    {
        // The anchors of the lists and mappings still open: an alias to one of them makes a node
        // contain itself, which YamlDotNet's node model cannot load without overflowing the stack.
        private readonly Stack<string?> open = new();

        // The anchors defined so far in the document. YAML allows an alias only after its anchor; YamlDotNet's node
        // model accepts one before it as a placeholder, and two such placeholders as keys of one mapping overflow the
        // stack when it compares them.
        private readonly HashSet<string> defined = new(StringComparer.Ordinal);
        private int events;

        public Mark Reached { get; private set; } = Mark.Empty;

        public ParsingEvent? Current => inner.Current;

        private string? Define(AnchorName anchor)
        {
            if (anchor.IsEmpty)
                return null;
            defined.Add(anchor.Value);
            return anchor.Value;
        }

        public bool MoveNext()
        {
            if (++events > MaxChars * 2)
                throw new FundingFormatException(At(Reached), "not valid YAML: the parser does not come to an end");
            var moved = inner.MoveNext();
            switch (inner.Current)
            {
                case DocumentStart:
                    defined.Clear();
                    break;
                case MappingStart start:
                    open.Push(Define(start.Anchor));
                    break;
                case SequenceStart start:
                    open.Push(Define(start.Anchor));
                    break;
                case Scalar scalar:
                    Define(scalar.Anchor);
                    break;
                case MappingEnd or SequenceEnd when open.Count > 0:
                    open.Pop();
                    break;
                case AnchorAlias alias when open.Contains(alias.Value.Value):
                    throw new FundingFormatException(At(alias.Start), $"the alias *{alias.Value.Value} refers to a list or mapping that contains it");
                case AnchorAlias alias when !defined.Contains(alias.Value.Value):
                    throw new FundingFormatException(At(alias.Start), $"not valid YAML: the alias *{alias.Value.Value} comes before any anchor &{alias.Value.Value}");
            }

            if (inner.Current is { } current)
                Reached = current.End;
            return moved;
        }
    }

    // An empty key (github:), ~, null or "" is GitHub's template left unfilled.
    private static bool IsEmpty(YamlScalarNode scalar) =>
        string.IsNullOrWhiteSpace(scalar.Value)
        || (scalar.Style == ScalarStyle.Plain && scalar.Value is "~" or "null" or "Null" or "NULL");

    private static string KindOf(YamlNode node) => node switch
    {
        YamlMappingNode => "a mapping",
        YamlSequenceNode => "a list",
        YamlScalarNode { Value: var v } => $"the text '{v}'",
        _ => "an unknown node",
    };

    private static string At(Mark mark) => FundingFormatException.At(mark.Line, mark.Column);

    // YamlDotNet prefixes its message with "(Line: 3, Col: 1, Idx: 20) - (Line: …): "; the location is given separately.
    private static string Describe(YamlException e)
    {
        var message = e.InnerException is YamlException inner ? inner.Message : e.Message;
        var cut = message.IndexOf("): ", StringComparison.Ordinal);
        return message.StartsWith("(Line:", StringComparison.Ordinal) && cut >= 0 ? message[(cut + 3)..] : message;
    }
}
