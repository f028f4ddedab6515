#!/usr/bin/env bash
# Installs the system parts zsreport needs, only those that are missing, and says what it installs.
#   runtime: CJK fonts (Fandol faces from Debian's texlive-lang-chinese .deb, without TeX; Noto CJK
#            as fallback), Liberation Serif for Latin digits, libharfbuzz-subset0 (weasyprint subsets
#            CJK fonts ~7x faster with it than with fontTools).
#   test:    runtime + poppler-utils (pdftoppm, pdffonts) + LibreOffice Writer (DOCX → PDF checks).
# Quick when everything is there: it only asks dpkg and looks for the font files.
set -euo pipefail

level=${1:-runtime}
FANDOL_DIR=${ZSREPORT_FONT_DIR:-/usr/local/share/fonts/fandol}
FANDOL_FILES=(FandolFang-Regular.otf FandolHei-Regular.otf FandolHei-Bold.otf FandolKai-Regular.otf
              FandolSong-Regular.otf FandolSong-Bold.otf)

apt_packages=(fonts-noto-cjk fonts-liberation libharfbuzz-subset0 fontconfig)
[ "$level" = test ] && apt_packages+=(poppler-utils libreoffice-writer-nogui)

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }

missing=()
for pkg in "${apt_packages[@]}"; do installed "$pkg" || missing+=("$pkg"); done
need_fandol=0
for f in "${FANDOL_FILES[@]}"; do [ -f "$FANDOL_DIR/$f" ] || need_fandol=1; done

[ ${#missing[@]} -eq 0 ] && [ $need_fandol -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
  echo "zsreport needs system packages it cannot install here (no root or no apt-get)." >&2
  [ ${#missing[@]} -gt 0 ] && echo "  Install with your package manager: ${missing[*]}" >&2
  if [ $need_fandol -eq 1 ]; then
    echo "  Fandol fonts: apt-get download texlive-lang-chinese, then" >&2
    echo "    dpkg-deb --fsys-tarfile texlive-lang-chinese_*.deb | tar -x --wildcards './usr/share/texlive/texmf-dist/fonts/opentype/public/fandol/*'" >&2
    echo "    copy ${FANDOL_FILES[*]} into $FANDOL_DIR (or ~/.local/share/fonts, then set ZSREPORT_FONT_DIR) and run fc-cache -f" >&2
  fi
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
echo "zsreport setup: updating the Debian package lists"
apt-get update -qq
if [ ${#missing[@]} -gt 0 ]; then
  echo "zsreport setup: installing ${missing[*]}"
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
if [ $need_fandol -eq 1 ]; then
  echo "zsreport setup: extracting the Fandol fonts from texlive-lang-chinese into $FANDOL_DIR (TeX is not installed)"
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  (cd "$work" && apt-get download -qq texlive-lang-chinese 2>/dev/null)
  dpkg-deb --fsys-tarfile "$work"/texlive-lang-chinese_*.deb |
    tar -x -C "$work" --wildcards './usr/share/texlive/texmf-dist/fonts/opentype/public/fandol/*'
  mkdir -p "$FANDOL_DIR"
  for f in "${FANDOL_FILES[@]}"; do
    install -m 0644 "$work/usr/share/texlive/texmf-dist/fonts/opentype/public/fandol/$f" "$FANDOL_DIR/$f"
  done
fi
fc-cache -f >/dev/null
echo "zsreport setup: system parts ready ($level)"
