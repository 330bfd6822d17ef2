using Reprise.Cli.Fetch;
using Reprise.Cli.Tests.TestSupport;

namespace Reprise.Cli.Tests.Fetch;

public class BodyFileNamesTests
{
    [Theory]
    [InlineData("http://h/../../../../etc/passwd")]
    [InlineData("http://h/%2e%2e/%2e%2e/%2e%2e/x")]
    [InlineData("http://h/..\\..\\..\\windows\\system32")]
    [InlineData("http://h/a/b/c/")]
    [InlineData("http://h/CON")]
    [InlineData("../../outside")]
    [InlineData("/etc/passwd")]
    public void PathFor_AnyUrl_IsAFileDirectlyInsideTheDirectory(string url)
    {
        using var temp = new TempDirectory();

        var path = BodyFileNames.PathFor(temp.Path, url);

        Assert.Equal(temp.Path, Path.GetDirectoryName(Path.GetFullPath(path)));
        Assert.Matches("^[0-9a-f]{64}$", Path.GetFileName(path));
    }

    [Fact]
    public void For_Url_IsTheSha256OfItsUtf8Text()
        => Assert.Equal("c43fa283946b81455781ee66e2429e922951961b9f11ec301adaef81f333835e", BodyFileNames.For("http://h/a")); // sha256sum of the text
}
