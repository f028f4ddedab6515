#!/usr/bin/env bash
# Installs the system parts zsreport needs, only those that are missing, and says what it installs.
#   runtime: CJK fonts (Fandol faces from Debian's texlive-lang-chinese .deb, without TeX; Noto CJK
#            as fallback), Liberation Serif for Latin digits, libharfbuzz-subset0 (weasyprint subsets
#            CJK fonts ~7x faster with it than with fontTools), and the fontconfig aliases
#            fontconfig/65-zsreport-gongwen.conf (仿宋_GB2312 → FandolFang, 黑体 → FandolHei, …)
#            so LibreOffice previews of the DOCX use the same stand-ins as the PDF.
#   test:    runtime + poppler-utils (pdftoppm, pdffonts) + LibreOffice Writer (DOCX → PDF checks)
#            + Chromium (index.html opened as a clerk would).
# Quick when everything is there: it only asks dpkg, looks for the font files and compares the alias file.
set -euo pipefail

level=${1:-runtime}
FANDOL_DIR=${ZSREPORT_FONT_DIR:-/usr/local/share/fonts/fandol}
FANDOL_FILES=(FandolFang-Regular.otf FandolHei-Regular.otf FandolHei-Bold.otf FandolKai-Regular.otf
              FandolSong-Regular.otf FandolSong-Bold.otf)
FONTCONF_SRC="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/fontconfig/65-zsreport-gongwen.conf"
FONTCONF_DST=/etc/fonts/conf.d/65-zsreport-gongwen.conf

apt_packages=(fonts-noto-cjk fonts-liberation libharfbuzz-subset0 fontconfig)
[ "$level" = test ] && apt_packages+=(poppler-utils libreoffice-writer-nogui chromium fonts-wqy-zenhei)

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }

missing=()
for pkg in "${apt_packages[@]}"; do installed "$pkg" || missing+=("$pkg"); done
need_fandol=0
for f in "${FANDOL_FILES[@]}"; do [ -f "$FANDOL_DIR/$f" ] || need_fandol=1; done
need_fontconf=0
cmp -s "$FONTCONF_SRC" "$FONTCONF_DST" || need_fontconf=1

[ ${#missing[@]} -eq 0 ] && [ $need_fandol -eq 0 ] && [ $need_fontconf -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
  echo "zsreport 需要的系统组件在这里无法安装（不是管理员，或本机没有 apt-get）。" >&2
  [ ${#missing[@]} -gt 0 ] && echo "  请用本机的软件包管理器安装：${missing[*]}" >&2
  if [ $need_fandol -eq 1 ]; then
    echo "  Fandol 字体：apt-get download texlive-lang-chinese，然后" >&2
    echo "    dpkg-deb --fsys-tarfile texlive-lang-chinese_*.deb | tar -x --wildcards './usr/share/texlive/texmf-dist/fonts/opentype/public/fandol/*'" >&2
    echo "    把 ${FANDOL_FILES[*]} 复制到 $FANDOL_DIR（或 ~/.local/share/fonts，并设置 ZSREPORT_FONT_DIR），再运行 fc-cache -f" >&2
  fi
  [ $need_fontconf -eq 1 ] &&
    echo "  LibreOffice 预览用的字体别名：把 $FONTCONF_SRC 复制到 /etc/fonts/conf.d/（或 ~/.config/fontconfig/conf.d/），再运行 fc-cache -f" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
if [ ${#missing[@]} -gt 0 ] || [ $need_fandol -eq 1 ]; then
  echo "zsreport 安装：更新软件包列表（apt-get update）"
  apt-get update -qq
fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "zsreport 安装：安装 ${missing[*]}"
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
if [ $need_fandol -eq 1 ]; then
  echo "zsreport 安装：从 texlive-lang-chinese 中取出 Fandol 字体，放到 $FANDOL_DIR（不安装 TeX）"
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
if [ $need_fontconf -eq 1 ]; then
  echo "zsreport 安装：安装字体别名 $FONTCONF_DST（官方字体名 → Fandol/Noto 替代字体）"
  install -m 0644 "$FONTCONF_SRC" "$FONTCONF_DST"
fi
fc-cache -f >/dev/null
echo "zsreport 安装：系统组件已就绪（$level）"
