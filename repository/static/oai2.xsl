<?xml version="1.0" encoding="UTF-8"?>
<!--
  oai2.xsl: renders any rli OAI-PMH 2.0 response as a plain HTML page, so the
  endpoint can be browsed. XSLT 1.0 (browsers and lxml run it). One template per
  part of the response; record metadata is shown by title, creators and a
  "view XML" link rather than format by format.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:oai="http://www.openarchives.org/OAI/2.0/"
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:oai_dc="http://www.openarchives.org/OAI/2.0/oai_dc/"
    xmlns:rli="http://www.imsglobal.org/services/rli/xsd/imsRLIManDataSchema_v1p0"
    xmlns:mods="http://www.loc.gov/mods/v3"
    xmlns:lom="http://ltsc.ieee.org/xsd/LOM"
    xmlns:rlix="urn:x-rli:extension:1.0"
    xmlns:prov="http://www.openarchives.org/OAI/2.0/provenance"
    xmlns:id="http://www.openarchives.org/OAI/2.0/oai-identifier"
    exclude-result-prefixes="oai dc oai_dc rli mods lom rlix prov id">

  <xsl:output method="html" encoding="UTF-8" indent="yes"/>


  <xsl:template match="/">
    <html>
      <head>
        <title>OAI-PMH <xsl:value-of select="oai:OAI-PMH/oai:request/@verb"/></title>
        <style>
          body { font-family: sans-serif; margin: 2em; max-width: 60em; }
          table { border-collapse: collapse; } td, th { padding: .2em .6em; text-align: left; }
          .record { border-top: 1px solid #ccc; padding: .5em 0; }
          .error { color: #a00; } .deleted { color: #777; }
        </style>
      </head>
      <body>
        <h1>OAI-PMH <xsl:value-of select="oai:OAI-PMH/oai:request/@verb"/></h1>
        <p>
          <a href="?verb=Identify">Identify</a> |
          <a href="?verb=ListMetadataFormats">ListMetadataFormats</a> |
          <a href="?verb=ListSets">ListSets</a> |
          <a href="?verb=ListIdentifiers&amp;metadataPrefix=oai_dc">ListIdentifiers</a> |
          <a href="?verb=ListRecords&amp;metadataPrefix=oai_dc">ListRecords</a>
        </p>
        <p>Response date: <xsl:value-of select="oai:OAI-PMH/oai:responseDate"/></p>
        <xsl:apply-templates select="oai:OAI-PMH/oai:error"/>
        <xsl:apply-templates select="oai:OAI-PMH/oai:Identify"/>
        <xsl:apply-templates select="oai:OAI-PMH/oai:ListMetadataFormats"/>
        <xsl:apply-templates select="oai:OAI-PMH/oai:ListSets"/>
        <xsl:apply-templates select="oai:OAI-PMH/oai:GetRecord/oai:record"/>
        <xsl:apply-templates select="oai:OAI-PMH/oai:ListIdentifiers/oai:header"/>
        <xsl:apply-templates select="oai:OAI-PMH/oai:ListRecords/oai:record"/>
        <xsl:apply-templates select="//oai:resumptionToken"/>
      </body>
    </html>
  </xsl:template>

  <xsl:template match="oai:error">
    <p class="error"><strong><xsl:value-of select="@code"/></strong>: <xsl:value-of select="."/></p>
  </xsl:template>

  <xsl:template match="oai:Identify">
    <table>
      <xsl:for-each select="oai:*[not(self::oai:description)]">
        <tr><th><xsl:value-of select="local-name()"/></th><td><xsl:value-of select="."/></td></tr>
      </xsl:for-each>
      <xsl:for-each select="oai:description/id:oai-identifier/id:*">
        <tr><th><xsl:value-of select="local-name()"/></th><td><xsl:value-of select="."/></td></tr>
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
            <a href="?verb=ListRecords&amp;metadataPrefix=oai_dc&amp;set={oai:setSpec}">
              <xsl:value-of select="oai:setSpec"/>
            </a>
          </td>
          <td><xsl:value-of select="oai:setName"/></td>
        </tr>
      </xsl:for-each>
    </table>
  </xsl:template>

  <xsl:template match="oai:header">
    <div class="record">
      <xsl:if test="@status = 'deleted'"><xsl:attribute name="class">record deleted</xsl:attribute></xsl:if>
      <a href="?verb=GetRecord&amp;metadataPrefix=rli&amp;identifier={oai:identifier}">
        <xsl:value-of select="oai:identifier"/>
      </a>
      <xsl:text> </xsl:text><xsl:value-of select="oai:datestamp"/>
      <xsl:if test="@status = 'deleted'"> (deleted)</xsl:if>
      <xsl:for-each select="oai:setSpec"> [<xsl:value-of select="."/>]</xsl:for-each>
    </div>
  </xsl:template>

  <xsl:template match="oai:record">
    <xsl:apply-templates select="oai:header"/>
    <xsl:apply-templates select="oai:metadata/*"/>
    <xsl:for-each select="oai:about/rlix:history/rlix:version">
      <div>version <a href="{@url}"><xsl:value-of select="@number"/></a>
        archived <xsl:value-of select="@archivedAt"/></div>
    </xsl:for-each>
  </xsl:template>

  <xsl:template match="oai_dc:dc">
    <h2><xsl:value-of select="dc:title[1]"/></h2>
    <p><xsl:for-each select="dc:creator"><xsl:value-of select="."/>; </xsl:for-each></p>
  </xsl:template>

  <xsl:template match="rli:resourceList">
    <h2><xsl:value-of select="rli:resourceListMetadata/rli:title//*[local-name() = 'text'][1]"/></h2>
  </xsl:template>

  <xsl:template match="mods:mods">
    <h2><xsl:value-of select="mods:titleInfo[1]/mods:title"/></h2>
  </xsl:template>

  <xsl:template match="lom:lom">
    <h2><xsl:value-of select="lom:general/lom:title/lom:string[1]"/></h2>
  </xsl:template>

  <xsl:template match="*">
    <h2><xsl:value-of select="local-name()"/></h2>
  </xsl:template>

  <xsl:template match="oai:resumptionToken">
    <p>
      <xsl:value-of select="@cursor"/> of <xsl:value-of select="@completeListSize"/> before this page.
      <xsl:if test="string(.) != ''">
        <a href="?verb={/oai:OAI-PMH/oai:request/@verb}&amp;resumptionToken={.}">Next page</a>
      </xsl:if>
    </p>
  </xsl:template>
</xsl:stylesheet>
