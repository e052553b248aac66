from tui_pos.cli import main

raise SystemExit(main())
