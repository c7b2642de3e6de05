<?xml version="1.0" encoding="UTF-8"?>
<!--
  oai2.xsl: renders any rli OAI-PMH 2.0 response as an HTML page for people.

  XSLT 1.0 without extensions, so the same file runs in two places: on the
  server (repository/oai/html.py applies it with lxml when a browser asks for
  text/html) and in browsers that still apply <?xml-stylesheet?>. The server
  passes two parameters: raw-xml (the URL of the same response as XML) and
  rendered ("server"); a browser passes none.

  Records are shown by what they hold: for rli, the list's fields,
  annotations, sections and items as citations with their annotations; for
  oai_dc, mods and lom, their title, people, description and items. Only
  http(s) addresses from the data become links; a value that shares a line with
  other text is a <bdi>, so a direction override it leaves open turns nothing else.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:oai="http://www.openarchives.org/OAI/2.0/"
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:oai_dc="http://www.openarchives.org/OAI/2.0/oai_dc/"
    xmlns:rli="http://www.imsglobal.org/services/rli/xsd/imsRLIManDataSchema_v1p0"
    xmlns:rlx="http://www.imsglobal.org/services/rli/rlicommon/imsRLICommonSchema_v1p0"
    xmlns:mods="http://www.loc.gov/mods/v3"
    xmlns:lom="http://ltsc.ieee.org/xsd/LOM"
    xmlns:rlix="urn:x-rli:extension:1.0"
    xmlns:prov="http://www.openarchives.org/OAI/2.0/provenance"
    xmlns:id="http://www.openarchives.org/OAI/2.0/oai-identifier"
    exclude-result-prefixes="oai dc oai_dc rli rlx mods lom rlix prov id">

  <xsl:output method="html" encoding="UTF-8" indent="no" doctype-system="about:legacy-compat"/>

  <xsl:param name="raw-xml" select="''"/>
  <xsl:param name="rendered" select="'browser'"/>

  <xsl:variable name="verb" select="/oai:OAI-PMH/oai:request/@verb"/>

  <xsl:template match="/">
    <html lang="en" data-rendered="{$rendered}">
      <head>
        <!-- No script, whatever a record holds; the style below is the only inline one. -->
        <meta http-equiv="Content-Security-Policy"
              content="default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title>
          <xsl:text>OAI-PMH </xsl:text>
          <xsl:choose>
            <xsl:when test="/oai:OAI-PMH/oai:error">error</xsl:when>
            <xsl:otherwise><xsl:value-of select="$verb"/></xsl:otherwise>
          </xsl:choose>
        </title>
        <style>
          body { font-family: system-ui, sans-serif; line-height: 1.4; margin: 0 auto;
                 padding: 1em; max-width: 60em; color: #222; }
          nav.verbs a { margin-right: .8em; }
          table { border-collapse: collapse; } td, th { padding: .2em .6em; text-align: left;
                 vertical-align: top; }
          dl.fields { display: grid; grid-template-columns: max-content 1fr; gap: .1em 1em; }
          dl.fields dt { font-weight: bold; } dl.fields dd { margin: 0; }
          .record { border-top: 1px solid #bbb; padding: .6em 0; }
          .oai-header { color: #555; font-size: .9em; }
          .error { border: 2px solid #a00; padding: .5em 1em; background: #fff4f4; }
          .error code { color: #a00; font-weight: bold; }
          .deleted { color: #777; }
          ol.items { padding-left: 1.6em; } ol.items li { margin: .35em 0; }
          li.section > h3, li.section > h4 { margin: .8em 0 .2em; }
          .tag { display: inline-block; font-size: .8em; padding: 0 .4em; border-radius: .3em;
                 background: #e8eef8; border: 1px solid #9ab; margin-right: .3em; }
          .tag.essential { background: #fde8d8; border-color: #c96; }
          .annotation { color: #333; font-size: .95em; margin: .15em 0; }
          .type, .where { color: #555; font-size: .9em; }
          .pages { border-top: 1px solid #bbb; padding-top: .6em; }
        </style>
      </head>
      <body>
        <header>
          <nav class="verbs" aria-label="OAI-PMH requests">
            <a href="?verb=Identify">Identify</a>
            <a href="?verb=ListMetadataFormats">Formats</a>
            <a href="?verb=ListSets">Sets</a>
            <a href="?verb=ListIdentifiers&amp;metadataPrefix=rli">Identifiers</a>
            <a href="?verb=ListRecords&amp;metadataPrefix=rli">Records</a>
          </nav>
        </header>
        <main>
          <h1>
            <xsl:text>OAI-PMH </xsl:text>
            <xsl:choose>
              <xsl:when test="/oai:OAI-PMH/oai:error">error</xsl:when>
              <xsl:otherwise><xsl:value-of select="$verb"/></xsl:otherwise>
            </xsl:choose>
          </h1>
          <xsl:apply-templates select="/oai:OAI-PMH/oai:request"/>
          <xsl:apply-templates select="/oai:OAI-PMH/oai:error"/>
          <xsl:apply-templates select="/oai:OAI-PMH/oai:Identify"/>
          <xsl:apply-templates select="/oai:OAI-PMH/oai:ListMetadataFormats"/>
          <xsl:apply-templates select="/oai:OAI-PMH/oai:ListSets"/>
          <xsl:apply-templates select="/oai:OAI-PMH/oai:GetRecord/oai:record"/>
          <xsl:apply-templates select="/oai:OAI-PMH/oai:ListIdentifiers/oai:header"/>
          <xsl:apply-templates select="/oai:OAI-PMH/oai:ListRecords/oai:record"/>
          <xsl:apply-templates select="/oai:OAI-PMH/*/oai:resumptionToken"/>
        </main>
      </body>
    </html>
  </xsl:template>

  <!-- ===== the envelope ===== -->

  <xsl:template match="oai:request">
    <p class="oai-header">
      <xsl:for-each select="@*">
        <xsl:value-of select="name()"/>=<code><bdi><xsl:value-of select="."/></bdi></code>
        <xsl:text> </xsl:text>
      </xsl:for-each>
      <xsl:text>· answered </xsl:text>
      <xsl:value-of select="../oai:responseDate"/>
      <xsl:text> by </xsl:text>
      <xsl:value-of select="."/>
      <xsl:text> · </xsl:text>
      <a class="raw-xml">
        <xsl:attribute name="href">
          <xsl:choose>
            <xsl:when test="$raw-xml != ''"><xsl:value-of select="$raw-xml"/></xsl:when>
            <xsl:otherwise>
              <xsl:text>oai.xml?</xsl:text>
              <xsl:for-each select="@*">
                <xsl:if test="position() > 1">&amp;</xsl:if>
                <xsl:value-of select="concat(name(), '=', .)"/>
              </xsl:for-each>
            </xsl:otherwise>
          </xsl:choose>
        </xsl:attribute>
        <xsl:text>this response as XML</xsl:text>
      </a>
    </p>
  </xsl:template>

  <xsl:template match="oai:error">
    <section class="error" role="alert">
      <h2>Error <code><xsl:value-of select="@code"/></code></h2>
      <p class="message"><xsl:value-of select="."/></p>
    </section>
  </xsl:template>

  <xsl:template match="oai:Identify">
    <table class="identify">
      <xsl:for-each select="oai:*[not(self::oai:description)]">
        <tr><th scope="row"><xsl:value-of select="local-name()"/></th>
          <td><xsl:value-of select="."/></td></tr>
      </xsl:for-each>
      <xsl:for-each select="oai:description/id:oai-identifier/id:*">
        <tr><th scope="row"><xsl:value-of select="local-name()"/></th>
          <td><xsl:value-of select="."/></td></tr>
      </xsl:for-each>
    </table>
  </xsl:template>

  <xsl:template match="oai:ListMetadataFormats">
    <table>
      <tr><th>metadataPrefix</th><th>namespace</th><th>schema</th></tr>
      <xsl:for-each select="oai:metadataFormat">
        <tr>
          <td>
            <a href="?verb=ListRecords&amp;metadataPrefix={oai:metadataPrefix}">
              <xsl:value-of select="oai:metadataPrefix"/>
            </a>
          </td>
          <td><xsl:value-of select="oai:metadataNamespace"/></td>
          <td><xsl:value-of select="oai:schema"/></td>
        </tr>
      </xsl:for-each>
    </table>
  </xsl:template>

  <xsl:template match="oai:ListSets">
    <table>
      <tr><th>setSpec</th><th>setName</th></tr>
      <xsl:for-each select="oai:set">
        <tr>
          <td>
            <a href="?verb=ListRecords&amp;metadataPrefix=rli&amp;set={oai:setSpec}">
              <xsl:value-of select="oai:setSpec"/>
            </a>
          </td>
          <td><xsl:value-of select="oai:setName"/></td>
        </tr>
      </xsl:for-each>
    </table>
  </xsl:template>

  <xsl:template match="oai:resumptionToken">
    <nav class="pages" aria-label="pages">
      <xsl:variable name="shown" select="count(../oai:record | ../oai:header | ../oai:set)"/>
      <xsl:choose>
        <xsl:when test="@cursor != '' and @completeListSize != ''">
          <xsl:value-of select="@cursor + 1"/>–<xsl:value-of select="@cursor + $shown"/>
          <xsl:text> of </xsl:text><xsl:value-of select="@completeListSize"/>
        </xsl:when>
        <xsl:otherwise><xsl:value-of select="$shown"/> on this page</xsl:otherwise>
      </xsl:choose>
      <xsl:if test="string(.) != ''">
        <xsl:text> · </xsl:text>
        <a rel="next" href="?verb={$verb}&amp;resumptionToken={.}">Next page</a>
        <xsl:if test="@expirationDate">
          <span class="type"> (link valid until <xsl:value-of select="@expirationDate"/>)</span>
        </xsl:if>
      </xsl:if>
      <xsl:if test="string(.) = ''"> · last page</xsl:if>
    </nav>
  </xsl:template>

  <!-- ===== records and headers ===== -->

  <!-- The list id: an OAI identifier is oai:<repository>:<list id>, and neither has a colon. -->
  <xsl:template name="list-id">
    <xsl:param name="identifier"/>
    <xsl:value-of select="substring-after(substring-after($identifier, ':'), ':')"/>
  </xsl:template>

  <xsl:template match="oai:header">
    <xsl:call-template name="header-line"/>
  </xsl:template>

  <!-- ListIdentifiers: a header on its own -->
  <xsl:template match="oai:ListIdentifiers/oai:header">
    <article class="record">
      <h2>
        <xsl:if test="@status = 'deleted'"><xsl:attribute name="class">deleted</xsl:attribute></xsl:if>
        <xsl:call-template name="list-id">
          <xsl:with-param name="identifier" select="oai:identifier"/>
        </xsl:call-template>
        <xsl:if test="@status = 'deleted'"> (deleted)</xsl:if>
      </h2>
      <xsl:call-template name="header-line"/>
    </article>
  </xsl:template>

  <xsl:template name="header-line">
    <xsl:variable name="list">
      <xsl:call-template name="list-id">
        <xsl:with-param name="identifier" select="oai:identifier"/>
      </xsl:call-template>
    </xsl:variable>
    <p class="oai-header">
      <a href="?verb=GetRecord&amp;metadataPrefix=rli&amp;identifier={oai:identifier}">
        <xsl:value-of select="oai:identifier"/>
      </a>
      <xsl:text> · changed </xsl:text><xsl:value-of select="oai:datestamp"/>
      <xsl:if test="@status = 'deleted'"> · <strong class="deleted">deleted</strong></xsl:if>
      <xsl:if test="oai:setSpec">
        <xsl:text> · sets: </xsl:text>
        <xsl:for-each select="oai:setSpec">
          <xsl:if test="position() > 1">, </xsl:if>
          <a href="?verb=ListRecords&amp;metadataPrefix=rli&amp;set={.}"><xsl:value-of select="."/></a>
        </xsl:for-each>
      </xsl:if>
      <xsl:if test="$list != ''">
        <xsl:text> · </xsl:text><a class="list-page" href="lists/{$list}">list page</a>
      </xsl:if>
    </p>
  </xsl:template>

  <xsl:template match="oai:record">
    <article class="record">
      <xsl:if test="oai:header/@status = 'deleted'">
        <xsl:attribute name="class">record deleted</xsl:attribute>
        <h2>
          <xsl:call-template name="list-id">
            <xsl:with-param name="identifier" select="oai:header/oai:identifier"/>
          </xsl:call-template>
          <xsl:text> (deleted)</xsl:text>
        </h2>
      </xsl:if>
      <xsl:apply-templates select="oai:metadata/*"/>
      <xsl:apply-templates select="oai:header"/>
      <xsl:apply-templates select="oai:about/rlix:history"/>
      <xsl:apply-templates select="oai:about/prov:provenance"/>
    </article>
  </xsl:template>

  <xsl:template match="rlix:history">
    <details class="versions">
      <summary>
        <xsl:value-of select="count(rlix:version)"/>
        <xsl:text> version</xsl:text>
        <xsl:if test="count(rlix:version) != 1">s</xsl:if>
      </summary>
      <ol>
        <xsl:for-each select="rlix:version">
          <li>
            <xsl:text>version </xsl:text><xsl:value-of select="@number"/>
            <xsl:text>, </xsl:text><xsl:value-of select="@archivedAt"/>
            <xsl:if test="@editor"> by <bdi><xsl:value-of select="@editor"/></bdi></xsl:if>
            <xsl:if test="string(.) != ''">: <bdi><xsl:value-of select="."/></bdi></xsl:if>
            <xsl:if test="starts-with(@url, 'http://') or starts-with(@url, 'https://')">
              <xsl:text> </xsl:text><a href="{@url}">RLI XML</a>
            </xsl:if>
          </li>
        </xsl:for-each>
      </ol>
    </details>
  </xsl:template>

  <xsl:template match="prov:provenance">
    <p class="oai-header">
      <xsl:for-each select=".//prov:originDescription">
        <xsl:text>Harvested from </xsl:text>
        <bdi><xsl:value-of select="prov:baseURL"/></bdi>
        <xsl:text> (</xsl:text><bdi><xsl:value-of select="prov:identifier"/></bdi>
        <xsl:text>, </xsl:text><bdi><xsl:value-of select="prov:datestamp"/></bdi><xsl:text>). </xsl:text>
      </xsl:for-each>
    </p>
  </xsl:template>

  <!-- ===== rli: the whole list ===== -->

  <xsl:template match="rli:resourceList">
    <xsl:variable name="meta" select="rli:resourceListMetadata"/>
    <h2><xsl:value-of select="($meta/rli:title//rlx:text)[1]"/></h2>
    <dl class="fields">
      <xsl:if test="$meta/rlix:owner">
        <dt>Owner</dt><dd><xsl:value-of select="$meta/rlix:owner"/></dd>
      </xsl:if>
      <xsl:if test="$meta/rlix:course">
        <dt>Courses</dt>
        <dd>
          <xsl:for-each select="$meta/rlix:course">
            <xsl:if test="position() > 1">, </xsl:if><bdi><xsl:value-of select="."/></bdi>
          </xsl:for-each>
        </dd>
      </xsl:if>
      <xsl:if test="$meta/rli:description">
        <dt>Description</dt><dd><xsl:value-of select="($meta/rli:description//rlx:text)[1]"/></dd>
      </xsl:if>
      <xsl:if test="$meta/rlix:modified">
        <dt>Modified</dt><dd><xsl:value-of select="$meta/rlix:modified"/></dd>
      </xsl:if>
      <dt>Items</dt><dd><xsl:value-of select="count(.//rli:resource)"/></dd>
    </dl>
    <xsl:apply-templates select="$meta/rlix:annotation"/>
    <xsl:if test="rlix:items/rlix:item">
      <ol class="items"><xsl:apply-templates select="rlix:items/rlix:item"/></ol>
    </xsl:if>
  </xsl:template>

  <xsl:template match="rlix:item[rlix:section]">
    <li class="section" data-item="{@id}">
      <h3><xsl:value-of select="rlix:section/rlix:title"/></h3>
      <xsl:if test="rlix:section/rlix:description">
        <p><xsl:value-of select="rlix:section/rlix:description"/></p>
      </xsl:if>
      <xsl:apply-templates select="rlix:annotation"/>
      <xsl:if test="rlix:section/rlix:item">
        <ol class="items"><xsl:apply-templates select="rlix:section/rlix:item"/></ol>
      </xsl:if>
    </li>
  </xsl:template>

  <xsl:template match="rlix:item">
    <xsl:variable name="res" select="rli:resource/rli:resourceMetadata"/>
    <li class="item" data-item="{@id}">
      <xsl:for-each select="rlix:annotation[string(.) = '']">
        <span class="tag {@kind}"><bdi><xsl:value-of select="@kind"/></bdi></span>
        <xsl:text> </xsl:text>
      </xsl:for-each>
      <xsl:apply-templates select="$res/rli:citation"/>
      <xsl:if test="$res/rlix:resourceType">
        <xsl:text> </xsl:text>
        <span class="type">[<bdi><xsl:value-of select="$res/rlix:resourceType"/></bdi>]</span>
      </xsl:if>
      <xsl:apply-templates select="$res/rli:location"/>
      <xsl:apply-templates select="$res/rlix:annotation | rlix:annotation[string(.) != '']"/>
    </li>
  </xsl:template>

  <xsl:template match="rli:citation">
    <xsl:for-each select="rli:creator">
      <xsl:if test="position() > 1">; </xsl:if>
      <bdi><xsl:value-of select="(.//rlx:text)[1]"/></bdi>
    </xsl:for-each>
    <xsl:if test="rli:publicationDate"> (<bdi><xsl:value-of select="rli:publicationDate"/></bdi>)</xsl:if>
    <xsl:if test="rli:creator or rli:publicationDate">. </xsl:if>
    <cite><bdi><xsl:value-of select="(rli:title//rlx:text)[1]"/></bdi></cite>
    <xsl:for-each select="(rli:edition//rlx:text)[1]">
      <xsl:text> (</xsl:text><bdi><xsl:value-of select="."/></bdi>
      <xsl:if test="not(contains(translate(., 'ED', 'ed'), 'ed'))"> ed.</xsl:if>
      <xsl:text>)</xsl:text>
    </xsl:for-each>
    <xsl:for-each select="rli:relatedTitle">
      <xsl:choose>
        <xsl:when test="@rlix:relation = 'series'">
          <xsl:text> (</xsl:text><bdi><xsl:value-of select="(rli:title//rlx:text)[1]"/></bdi><xsl:text>)</xsl:text>
        </xsl:when>
        <xsl:otherwise>
          <xsl:text>. In: </xsl:text><i><bdi><xsl:value-of select="(rli:title//rlx:text)[1]"/></bdi></i>
        </xsl:otherwise>
      </xsl:choose>
    </xsl:for-each>
    <xsl:if test="rli:volumeDesignation">, vol. <bdi><xsl:value-of select="rli:volumeDesignation"/></bdi></xsl:if>
    <xsl:if test="rli:partDesignation">, no. <bdi><xsl:value-of select="rli:partDesignation"/></bdi></xsl:if>
    <xsl:if test="rli:startingPageNumber">
      <xsl:text>, pp. </xsl:text><bdi><xsl:value-of select="rli:startingPageNumber"/></bdi>
      <xsl:if test="rli:endingPageNumber">–<bdi><xsl:value-of select="rli:endingPageNumber"/></bdi></xsl:if>
    </xsl:if>
    <xsl:if test="rli:publisher">. <bdi><xsl:value-of select="(rli:publisher//rlx:text)[1]"/></bdi></xsl:if>
    <xsl:if test="rli:publicationPlace">, <bdi><xsl:value-of select="(rli:publicationPlace//rlx:text)[1]"/></bdi></xsl:if>
  </xsl:template>

  <xsl:template match="rli:location">
    <xsl:variable name="where" select="normalize-space(rli:locator)"/>
    <xsl:variable name="label">
      <xsl:choose>
        <xsl:when test="@rlix:label"><xsl:value-of select="@rlix:label"/></xsl:when>
        <xsl:otherwise><xsl:value-of select="$where"/></xsl:otherwise>
      </xsl:choose>
    </xsl:variable>
    <xsl:text> </xsl:text>
    <span class="where">
      <xsl:choose>
        <xsl:when test="starts-with($where, 'http://') or starts-with($where, 'https://')">
          <a href="{$where}"><bdi><xsl:value-of select="$label"/></bdi></a>
        </xsl:when>
        <xsl:otherwise>
          <xsl:if test="@rlix:label"><bdi><xsl:value-of select="$label"/></bdi>: </xsl:if>
          <bdi><xsl:value-of select="$where"/></bdi>
        </xsl:otherwise>
      </xsl:choose>
    </span>
  </xsl:template>

  <xsl:template match="rlix:annotation">
    <p class="annotation">
      <span class="tag {@kind}"><bdi><xsl:value-of select="@kind"/></bdi></span>
      <xsl:text> </xsl:text>
      <bdi><xsl:value-of select="."/></bdi>
      <xsl:if test="@author or @date">
        <span class="type">
          <xsl:text> (</xsl:text>
          <bdi><xsl:value-of select="@author"/></bdi>
          <xsl:if test="@author and @date">, </xsl:if>
          <bdi><xsl:value-of select="@date"/></bdi>
          <xsl:text>)</xsl:text>
        </span>
      </xsl:if>
    </p>
  </xsl:template>

  <!-- ===== oai_dc, mods, lom: title, people, description, items ===== -->

  <xsl:template match="oai_dc:dc">
    <h2><xsl:value-of select="dc:title[1]"/></h2>
    <dl class="fields">
      <xsl:if test="dc:creator">
        <dt>Creators</dt>
        <dd><xsl:for-each select="dc:creator">
          <xsl:if test="position() > 1">; </xsl:if><bdi><xsl:value-of select="."/></bdi>
        </xsl:for-each></dd>
      </xsl:if>
      <xsl:if test="dc:subject">
        <dt>Subjects</dt>
        <dd><xsl:for-each select="dc:subject">
          <xsl:if test="position() > 1">, </xsl:if><bdi><xsl:value-of select="."/></bdi>
        </xsl:for-each></dd>
      </xsl:if>
      <xsl:for-each select="dc:description">
        <dt>Description</dt><dd><xsl:value-of select="."/></dd>
      </xsl:for-each>
      <xsl:if test="dc:date"><dt>Date</dt><dd><xsl:value-of select="dc:date[1]"/></dd></xsl:if>
      <dt>Items</dt><dd><xsl:value-of select="count(dc:relation)"/></dd>
    </dl>
    <xsl:if test="dc:relation">
      <ol class="items">
        <xsl:for-each select="dc:relation"><li class="item"><xsl:value-of select="."/></li></xsl:for-each>
      </ol>
    </xsl:if>
  </xsl:template>

  <xsl:template match="mods:mods">
    <h2><xsl:value-of select="mods:titleInfo[1]/mods:title"/></h2>
    <dl class="fields">
      <xsl:if test="mods:name">
        <dt>People</dt>
        <dd><xsl:for-each select="mods:name">
          <xsl:if test="position() > 1">; </xsl:if><bdi><xsl:value-of select="mods:namePart"/></bdi>
        </xsl:for-each></dd>
      </xsl:if>
      <xsl:if test="mods:subject">
        <dt>Subjects</dt>
        <dd><xsl:for-each select="mods:subject/mods:topic">
          <xsl:if test="position() > 1">, </xsl:if><bdi><xsl:value-of select="."/></bdi>
        </xsl:for-each></dd>
      </xsl:if>
      <xsl:if test="mods:abstract"><dt>Description</dt><dd><xsl:value-of select="mods:abstract"/></dd></xsl:if>
      <dt>Items</dt>
      <dd><xsl:value-of select="count(.//mods:relatedItem[@type='constituent'][not(mods:genre='section')])"/></dd>
    </dl>
    <xsl:for-each select="mods:note"><p class="annotation"><xsl:value-of select="."/></p></xsl:for-each>
    <xsl:if test="mods:relatedItem[@type='constituent']">
      <ol class="items"><xsl:apply-templates select="mods:relatedItem[@type='constituent']"/></ol>
    </xsl:if>
  </xsl:template>

  <xsl:template match="mods:relatedItem">
    <xsl:choose>
      <xsl:when test="mods:genre = 'section'">
        <li class="section">
          <h3><xsl:value-of select="mods:titleInfo[1]/mods:title"/></h3>
          <xsl:if test="mods:relatedItem[@type='constituent']">
            <ol class="items"><xsl:apply-templates select="mods:relatedItem[@type='constituent']"/></ol>
          </xsl:if>
        </li>
      </xsl:when>
      <xsl:otherwise>
        <li class="item">
          <xsl:for-each select="mods:name">
            <xsl:if test="position() > 1">; </xsl:if><bdi><xsl:value-of select="mods:namePart"/></bdi>
          </xsl:for-each>
          <xsl:if test="mods:originInfo/mods:dateIssued">
            <xsl:text> (</xsl:text><bdi><xsl:value-of select="mods:originInfo/mods:dateIssued"/></bdi><xsl:text>)</xsl:text>
          </xsl:if>
          <xsl:if test="mods:name or mods:originInfo/mods:dateIssued">. </xsl:if>
          <cite><bdi><xsl:value-of select="mods:titleInfo[1]/mods:title"/></bdi></cite>
          <xsl:if test="mods:genre"> <span class="type"> [<bdi><xsl:value-of select="mods:genre[1]"/></bdi>]</span></xsl:if>
          <xsl:for-each select="mods:note"><p class="annotation"><xsl:value-of select="."/></p></xsl:for-each>
        </li>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="lom:lom">
    <h2><xsl:value-of select="lom:general/lom:title/lom:string[1]"/></h2>
    <dl class="fields">
      <xsl:if test="lom:general/lom:description">
        <dt>Description</dt><dd><xsl:value-of select="lom:general/lom:description/lom:string[1]"/></dd>
      </xsl:if>
      <xsl:if test="lom:general/lom:keyword">
        <dt>Keywords</dt>
        <dd><xsl:for-each select="lom:general/lom:keyword/lom:string">
          <xsl:if test="position() > 1">, </xsl:if><bdi><xsl:value-of select="."/></bdi>
        </xsl:for-each></dd>
      </xsl:if>
      <dt>Items</dt><dd><xsl:value-of select="count(lom:relation[lom:kind/lom:value = 'haspart'])"/></dd>
    </dl>
    <xsl:if test="lom:relation[lom:kind/lom:value = 'haspart']">
      <ol class="items">
        <xsl:for-each select="lom:relation[lom:kind/lom:value = 'haspart']">
          <li class="item"><xsl:value-of select="lom:resource/lom:description/lom:string[1]"/></li>
        </xsl:for-each>
      </ol>
    </xsl:if>
  </xsl:template>

  <xsl:template match="*">
    <h2><xsl:value-of select="local-name()"/></h2>
  </xsl:template>
</xsl:stylesheet>
