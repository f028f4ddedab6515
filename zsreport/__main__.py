from zsreport.cli import main

raise SystemExit(main())
